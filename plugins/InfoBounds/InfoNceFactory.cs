using System.Composition;
using Untangle.Contracts.Components;
using Untangle.Contracts.Settings;

namespace Untangle.Plugins.InfoBounds;

/// <summary>
/// Exports "infonce": <see cref="InfoNceBound"/>, log N − L_NCE with a cosine/τ critic and in-batch
/// candidates. No arguments (x and y must have the same width).
/// </summary>
[ExportComponent(ComponentKind.MutualInformationEstimator, InfoBoundsPlugin.InfoNce,
    Description = "InfoNCE lower bound log N - L_NCE on I(x; y) in nats; cosine/temperature critic, in-batch negatives, optional both directions and intra-view negatives",
    Citation = InfoBoundsPlugin.InfoNceCitation)]
[Shared]
public sealed class InfoNceFactory : IMutualInformationEstimatorFactory
{
    public IReadOnlyList<SettingSpec> Settings { get; } =
    [
        SettingSpec.Float("temperature", 0.5, "τ in f = cos(x, y)/τ (MMSSL, FairMI and PAMD use 0.5; the spec allows 0.1-0.5)").Positive(),
        SettingSpec.Bool("bidirectional", false, "average the x→y and y→x losses (false: x rows are the anchors, as MMSSL)"),
        SettingSpec.Bool("intra_view", false, "add the anchor view's other rows as negatives, as MMSSL's contrastive loss"),
    ];

    public IMutualInformationEstimator Create(ComponentContext context) =>
        new InfoNceBound(
            context.Settings.Float("temperature"), // > 0: a declared range, checked by the resolver
            context.Settings.Bool("bidirectional"),
            context.Settings.Bool("intra_view"),
            context.Logger);
}
