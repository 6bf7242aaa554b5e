using Untangle.Plugins.Foundation;
using static TorchSharp.torch;

namespace Untangle.Plugins.Pamd;

/// <summary>The recommender's loss on (user, positive, negative) triples (official <c>Net.forward</c>).</summary>
public static class PointwiseObjective
{
    /// <summary>
    /// PAMD's pointwise log loss with one sampled negative: mean_b [−log σ(ŷ_ui) − log(1 − σ(ŷ_uj))],
    /// as softplus(−ŷ_ui) + softplus(ŷ_uj) (finite for any score). The official code sums over the batch
    /// instead of averaging, which only rescales the gradient Adam normalises anyway.
    /// </summary>
    public static Tensor Pointwise(Tensor positiveScores, Tensor negativeScores) =>
        (nn.functional.softplus(-positiveScores) + nn.functional.softplus(negativeScores)).mean();

    /// <summary>The chosen objective: pointwise (PAMD) or BPR (<see cref="BprObjective.Loss"/>).</summary>
    public static Tensor Loss(RecommendationObjective objective, Tensor positiveScores, Tensor negativeScores) =>
        objective == RecommendationObjective.Pointwise
            ? Pointwise(positiveScores, negativeScores)
            : BprObjective.Loss(positiveScores, negativeScores);
}
