using System.Composition;
using Untangle.Contracts.Components;
using Untangle.Contracts.Settings;

namespace Untangle.Plugins.InfoBounds;

/// <summary>
/// Exports "club": <see cref="AllPairsClub"/>, the CLUB upper bound over all in-batch pairs, with its
/// q_θ(y|x). Arguments: x_dim, y_dim. Settings: <see cref="ClubSettings"/>.
/// </summary>
[ExportComponent(ComponentKind.MutualInformationEstimator, InfoBoundsPlugin.Club,
    Description = "CLUB upper bound on I(x; y) in nats, all in-batch pairs as negatives; trains its Gaussian q(y|x) in its own step",
    Citation = InfoBoundsPlugin.ClubCitation)]
[Shared]
public sealed class ClubFactory : IMutualInformationEstimatorFactory
{
    public IReadOnlyList<SettingSpec> Settings => ClubSettings.Specs;

    /// <summary>It owns a network (q_θ or the critic), which its slot must train.</summary>
    public bool Learns(SettingValues settings) => true;

    public IMutualInformationEstimator Create(ComponentContext context)
    {
        var (q, clamp) = ClubSettings.Read(context);
        return new AllPairsClub(q, clamp, context.Logger);
    }
}
