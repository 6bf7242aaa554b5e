using Microsoft.Extensions.Logging;
using Untangle.Contracts.Training;
using static TorchSharp.torch;

namespace Untangle.Plugins.InfoBounds;

/// <summary>
/// "club": CLUB with every in-batch y as a negative for every x (Cheng et al., ICML 2020, sec. 3; the
/// official <c>CLUB.forward</c>):
/// mean_i Σ_d [ −(μ_id − y_id)²/(2·e^logvar_id) + mean_j (y_jd − μ_id)²/(2·e^logvar_id) ].
/// </summary>
/// <remarks>
/// The official code forms the N × N × d tensor of (y_j − μ_i)². The same mean over j is computed here as
/// Var_batch(y_d) + (ȳ_d − μ_id)² (the population variance over the batch), which is exactly equal,
/// differentiable the same way, and costs O(N·d) memory instead of O(N²·d). The sum includes j = i, as
/// the official code does.
/// </remarks>
public sealed class AllPairsClub(GaussianConditional q, bool clampAtZero, ILogger logger) : ClubBound(q, clampAtZero, logger)
{
    protected override string Name => InfoBoundsPlugin.Club;

    protected override Tensor Contrast(Tensor mean, Tensor logVariance, Tensor y)
    {
        var twiceVariance = logVariance.exp().Times(2);
        var positive = -(mean - y).Squared() / twiceVariance;
        var yMean = y.mean([0], keepdim: true);
        var meanSquaredToAll = (y - yMean).Squared().mean([0], keepdim: true).Plus((yMean - mean).Squared());
        var negative = -meanSquaredToAll / twiceVariance;
        return (positive.sum(1) - negative.sum(1)).mean();
    }
}
