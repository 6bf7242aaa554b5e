using System.Composition;
using Untangle.Contracts.Components;
using Untangle.Contracts.Settings;

namespace Untangle.Plugins.InfoBounds;

/// <summary>Exports "orthogonality": <see cref="OrthogonalityPenalty"/>, PAMD's squared row dot product. No settings, no arguments.</summary>
[ExportComponent(ComponentKind.MutualInformationEstimator, InfoBoundsPlugin.Orthogonality,
    Description = "PAMD's orthogonality penalty mean_i (x_i . y_i)^2: a dependence proxy (not a bound, not in nats) that can fill a CLUB slot",
    Citation = InfoBoundsPlugin.PamdCitation)]
[Shared]
public sealed class OrthogonalityFactory : IMutualInformationEstimatorFactory
{
    public IReadOnlyList<SettingSpec> Settings { get; } = [];

    public IMutualInformationEstimator Create(ComponentContext context) => new OrthogonalityPenalty();
}
