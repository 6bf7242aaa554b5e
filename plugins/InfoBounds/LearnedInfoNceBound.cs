using Untangle.Contracts.Components;
using Untangle.Contracts.Training;
using static TorchSharp.torch;

namespace Untangle.Plugins.InfoBounds;

/// <summary>
/// "learned-infonce": the InfoNCE lower bound with a learned critic f_θ (van den Oord et al. 2018,
/// sec. 2.3; Poole et al., ICML 2019, "On Variational Bounds of Mutual Information", eq. 12, I_NCE):
/// <code>
///   ℓ_i      = −log( exp f_θ(x_i, y_i) / Σ_{j ∈ G(i)} exp f_θ(x_i, y_j) )
///   Estimate = mean_i ( log |G(i)| − ℓ_i )   (nats)   ≤ I(x; y)        (G(i) = all N rows: log N − mean ℓ)
/// </code>
/// With a condition s, G(i) is row i's condition group (<see cref="ConditionGroups"/>, as
/// conditional-infonce): the negatives are drawn given s, so the value bounds I(x; y | s).
/// </summary>
/// <remarks>
/// <para><b>Training.</b> The bound holds for every θ and is tight when f_θ reaches log p(y|x) up to a
/// function of y; the critic is fitted by maximising the same estimate on detached inputs
/// (<see cref="LearningLoss(Tensor, Tensor, Tensor?)"/> = −Estimate), in its own step after the step
/// that used it: the engine's fit in an engine-trained slot, or <see cref="EstimatorTraining"/>. A
/// method that maximises the bound over its encoders adds −weight·Estimate to its loss, as with "infonce".</para>
/// <para><b>Against "infonce".</b> There the critic is a fixed cos/τ, bounded by 2/τ; here its scale is
/// learned, so the value can approach the true information up to log N (Poole et al., sec. 2.3).</para>
/// </remarks>
public sealed class LearnedInfoNceBound(LearnedCritic critic, bool bidirectional) : IMutualInformationEstimator
{
    public LearnedCritic Critic => critic;

    public InformationBound Bound => InformationBound.Lower;

    public nn.Module? Module => critic;

    public Tensor Estimate(Tensor x, Tensor y, Tensor? condition = null)
    {
        const string name = InfoBoundsPlugin.LearnedInfoNce;
        PairedRows.Check(name, x, y, critic.XDim, critic.YDim);
        var scores = critic.forward(x, y);
        Tensor? sameGroup = null;
        if (condition is not null)
        {
            if (condition.dim() != 2 || condition.shape[0] != x.shape[0])
                throw new ArgumentException($"{name}: the condition must hold one row per x row ({x.shape[0]}); got {PairedRows.Shape(condition)}");
            var groups = ConditionGroups.Assign(condition);
            sameGroup = groups.unsqueeze(1).eq(groups.unsqueeze(0));
        }
        var estimate = RowBound(scores, sameGroup);
        if (bidirectional) estimate = estimate.Plus(RowBound(scores.t(), sameGroup)).Over(2);
        return estimate;
    }

    /// <summary>mean_i (log |G(i)| − ℓ_i) with row i's candidates the columns in its group (all columns without a condition).</summary>
    private static Tensor RowBound(Tensor scores, Tensor? sameGroup)
    {
        if (sameGroup is null)
            return (scores.diagonal() - scores.logsumexp(1)).mean().PlusValue(Math.Log(scores.shape[0]));
        var denominator = scores.masked_fill(sameGroup.logical_not(), HeldScalars.MinusInfinity).logsumexp(1);
        var candidates = sameGroup.sum([1]).to(scores.dtype);
        return (candidates.log() + scores.diagonal() - denominator).mean();
    }

    public Tensor? LearningLoss(Tensor x, Tensor y) => LearningLoss(x, y, null);

    /// <summary>−Estimate on detached inputs: maximising the bound over θ only.</summary>
    public Tensor? LearningLoss(Tensor x, Tensor y, Tensor? condition) =>
        Estimate(x.detach(), y.detach(), condition?.detach()).neg();

    public void Dispose() => critic.Dispose();
}
