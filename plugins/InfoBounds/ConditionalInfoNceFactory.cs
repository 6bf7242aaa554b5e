using System.Composition;
using Untangle.Contracts.Components;
using Untangle.Contracts.Settings;

namespace Untangle.Plugins.InfoBounds;

/// <summary>
/// Exports "conditional-infonce": <see cref="ConditionalInfoNceBound"/>, FairMI's conditional InfoNCE
/// with negatives from the anchor's condition group only. Estimate(x = p, y = z, condition = s).
/// </summary>
[ExportComponent(ComponentKind.MutualInformationEstimator, InfoBoundsPlugin.ConditionalInfoNce,
    Description = "Conditional InfoNCE lower bound on I(x; y | s) in nats (FairMI): second input y + w*s, negatives only from the same condition group",
    Citation = InfoBoundsPlugin.FairMiCitation)]
[Shared]
public sealed class ConditionalInfoNceFactory : IMutualInformationEstimatorFactory
{
    public IReadOnlyList<SettingSpec> Settings { get; } =
    [
        SettingSpec.Float("temperature", 0.5, "τ in f = cos/τ (FairMI: 0.5)").Positive(),
        SettingSpec.Float("condition_weight", 0.1, "w in the second input y + w·s (FairMI: 0.1)").AtLeast(0),
    ];

    public IMutualInformationEstimator Create(ComponentContext context) =>
        new ConditionalInfoNceBound(
            context.Settings.Float("temperature"), // the ranges are declared above and checked by the resolver
            context.Settings.Float("condition_weight"));
}
