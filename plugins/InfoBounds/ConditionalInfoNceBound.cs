using Untangle.Contracts.Components;
using Untangle.Contracts.Training;
using static TorchSharp.torch;

namespace Untangle.Plugins.InfoBounds;

/// <summary>
/// "conditional-infonce": FairMI's lower bound on I(x; y | s) (Zhao et al., AAAI 2023; official
/// <c>condition_info_nce_for_embeddings</c>). With x̂ = norm(x), ŷ = norm(y + w·s) and G(i) the rows in
/// row i's condition group (<see cref="ConditionGroups"/>, the positive included):
/// <code>
///   ℓ_i      = −log( exp(x̂_i·ŷ_i/τ) / Σ_{j ∈ G(i)} exp(x̂_i·ŷ_j/τ) )
///   Estimate = mean_i ( log |G(i)| − ℓ_i )   (nats)   ≤ I(x; y | s)
/// </code>
/// </summary>
/// <remarks>
/// <para>Within a group the negatives are drawn given the condition, so each row's term is an InfoNCE
/// bound with |G(i)| candidates on the conditional information; the mean over rows is the conditional
/// bound. The official loss is mean_i ℓ_i: a method maximising the bound adds −weight·Estimate, which
/// is weight·(mean ℓ_i − mean log |G(i)|), the official loss shifted by a constant per batch.</para>
/// <para>Arguments of <see cref="Estimate"/> in FairMI's terms: x = p (the frozen embedding of a plain
/// pre-trained model), y = z (the interest representation being learned), condition = s (the sensitive
/// representation, rows × the width of y).</para>
/// </remarks>
public sealed class ConditionalInfoNceBound(double temperature, double conditionWeight) : IMutualInformationEstimator
{
    public double Temperature => temperature;
    public double ConditionWeight => conditionWeight;

    /// <summary>Lower: a conditional InfoNCE bound on I(x; y | s).</summary>
    public InformationBound Bound => InformationBound.Lower;

    public nn.Module? Module => null;

    public Tensor? LearningLoss(Tensor x, Tensor y) => null;

    /// <summary>mean_i (log |G(i)| − ℓ_i) in nats; <paramref name="condition"/> (s) is required.</summary>
    public Tensor Estimate(Tensor x, Tensor y, Tensor? condition = null)
    {
        const string name = InfoBoundsPlugin.ConditionalInfoNce;
        PairedRows.Check(name, x, y);
        if (condition is null)
            throw new ArgumentException($"{name}: needs the condition s (rows × {y.shape[1]}) as Estimate's third argument");
        if (condition.dim() != 2 || condition.shape[0] != y.shape[0] || condition.shape[1] != y.shape[1])
            throw new ArgumentException($"{name}: the condition must have y's shape {PairedRows.Shape(y)} (y + w·s); got {PairedRows.Shape(condition)}");
        if (x.shape[1] != y.shape[1])
            throw new ArgumentException($"{name}: a cosine critic needs x and y of the same width; got x {PairedRows.Shape(x)} and y {PairedRows.Shape(y)}");

        var groups = ConditionGroups.Assign(condition);
        var sameGroup = groups.unsqueeze(1).eq(groups.unsqueeze(0));
        var xn = nn.functional.normalize(x, p: 2, dim: 1);
        var yn = nn.functional.normalize(y.Plus(condition.Times(conditionWeight)), p: 2, dim: 1);
        var logits = xn.mm(yn.t()).Over(temperature);
        var denominator = logits.masked_fill(sameGroup.logical_not(), HeldScalars.MinusInfinity).logsumexp(1);
        var perRow = denominator - logits.diagonal();
        var candidates = sameGroup.sum([1]).to(x.dtype);
        return (candidates.log() - perRow).mean();
    }

    public void Dispose() { }
}
