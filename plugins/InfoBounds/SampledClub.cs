using Microsoft.Extensions.Logging;
using static TorchSharp.torch;
using Untangle.Contracts.Training;

namespace Untangle.Plugins.InfoBounds;

/// <summary>
/// "club-sample": CLUB with one negative per row, y_π(i) for a fresh random permutation π
/// (Cheng et al., ICML 2020, sec. 3; the official <c>CLUBSample.forward</c>):
/// ½ · mean_i Σ_d [(μ_id − y_π(i)d)² − (μ_id − y_id)²] / e^logvar_id.
/// </summary>
/// <remarks>
/// Over the draw of π (uniform over all rows, i included) its expectation is exactly the all-pairs
/// value of <see cref="AllPairsClub"/>; it costs O(N·d) and is noisier. The permutation comes from
/// TorchSharp's global generator, which the run seeds. FairMI's copy halves every term once more (its
/// value is half of this one) and clamps at 0: set clamp_at_zero and fold the ½ into the method's weight.
/// </remarks>
public sealed class SampledClub(GaussianConditional q, bool clampAtZero, ILogger logger) : ClubBound(q, clampAtZero, logger)
{
    protected override string Name => InfoBoundsPlugin.ClubSample;

    protected override Tensor Contrast(Tensor mean, Tensor logVariance, Tensor y)
    {
        var permutation = randperm(y.shape[0], dtype: ScalarType.Int64, device: y.device);
        var shuffled = y.index_select(0, permutation);
        var variance = logVariance.exp();
        var positive = -(mean - y).Squared() / variance;
        var negative = -(mean - shuffled).Squared() / variance;
        return (positive.sum(1) - negative.sum(1)).mean().Over(2);
    }
}
