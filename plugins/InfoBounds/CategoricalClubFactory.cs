using System.Composition;
using Untangle.Contracts.Components;
using Untangle.Contracts.Settings;

namespace Untangle.Plugins.InfoBounds;

/// <summary>
/// Exports "club-categorical": <see cref="CategoricalClub"/>, CLUB between a vector and a categorical
/// label given as one-hot rows. Arguments: x_dim, and y_dim = the number of classes.
/// </summary>
[ExportComponent(ComponentKind.MutualInformationEstimator, InfoBoundsPlugin.ClubCategorical,
    Description = "CLUBForCategorical upper bound on I(x; y) in nats for a categorical y (one-hot rows), all pairs of the batch; trains its softmax q(y|x) in its own step",
    Citation = InfoBoundsPlugin.ClubCitation)]
[Shared]
public sealed class CategoricalClubFactory : IMutualInformationEstimatorFactory
{
    public IReadOnlyList<SettingSpec> Settings { get; } =
    [
        SettingSpec.Int("hidden_size", 0, "width of q(y|x)'s one hidden ReLU layer; 0: q is linear (the official default, hidden_size=None)").AtLeast(0),
        SettingSpec.Bool("clamp_at_zero", false, "clamp the estimate at 0 from below"),
    ];

    public bool Learns(SettingValues settings) => true;

    public IMutualInformationEstimator Create(ComponentContext context) =>
        new CategoricalClub(ComponentSettings.Dimension(context, "x_dim"), ComponentSettings.Dimension(context, "y_dim"),
            context.Settings.Int("hidden_size"), context.Settings.Bool("clamp_at_zero"), context.Logger, context.Device);
}
