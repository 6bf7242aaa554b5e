using System.Composition;
using Untangle.Contracts.Components;
using Untangle.Contracts.Settings;

namespace Untangle.Plugins.InfoBounds;

/// <summary>
/// Exports "club-sample": <see cref="SampledClub"/>, the CLUB upper bound with one permuted negative
/// per row, with its q_θ(y|x). Arguments: x_dim, y_dim. Settings: <see cref="ClubSettings"/>.
/// </summary>
[ExportComponent(ComponentKind.MutualInformationEstimator, InfoBoundsPlugin.ClubSample,
    Description = "CLUBSample upper bound on I(x; y) in nats, one permuted negative per row; trains its Gaussian q(y|x) in its own step",
    Citation = InfoBoundsPlugin.ClubCitation)]
[Shared]
public sealed class ClubSampleFactory : IMutualInformationEstimatorFactory
{
    public IReadOnlyList<SettingSpec> Settings => ClubSettings.Specs;

    /// <summary>It owns a network (q_θ or the critic), which its slot must train.</summary>
    public bool Learns(SettingValues settings) => true;

    public IMutualInformationEstimator Create(ComponentContext context)
    {
        var (q, clamp) = ClubSettings.Read(context);
        return new SampledClub(q, clamp, context.Logger);
    }
}
