using Microsoft.Extensions.Logging;
using Untangle.Contracts.Components;
using static TorchSharp.torch;
using Untangle.Contracts.Training;

namespace Untangle.Plugins.InfoBounds;

/// <summary>
/// "infonce": the InfoNCE lower bound with in-batch candidates (van den Oord et al. 2018, sec. 2.3;
/// Poole et al., ICML 2019, "I_NCE"), critic f(x, y) = cos(x, y)/τ:
/// <code>
///   L_NCE    = −mean_i log( exp f(x_i, y_i) / Σ_j exp f(x_i, y_j) )        (j over the N rows of y)
///   Estimate = log N − L_NCE   (nats)   ≤ I(x; y)
/// </code>
/// </summary>
/// <remarks>
/// <para><b>What a method minimises.</b> To maximise the bound a method adds −weight·Estimate to its
/// loss, which is weight·(L_NCE − log N): the usual contrastive loss shifted by a constant, so the same
/// gradients. The value never exceeds log N (and, with a cosine critic, 2/τ): InfoNCE saturates when the
/// true information is larger, which is why it is a lower bound and not an estimate.</para>
/// <para><b>Bidirectional.</b> L_NCE is the mean of the x→y and y→x losses (each a valid bound, so their
/// mean is one).</para>
/// <para><b>Intra-view negatives</b> (MMSSL's <c>batched_contrastive_loss</c>): the denominator of row i
/// adds exp f(x_i, x_j) for j ≠ i to the N inter-view terms. The value is still reported as log N − L:
/// extra positive terms in the denominator only raise L, so it stays a lower bound (a looser one).
/// MMSSL's +1e-8 inside the logarithm is left out; log-sum-exp keeps the loss finite instead.</para>
/// </remarks>
public sealed class InfoNceBound(double temperature, bool bidirectional, bool intraView, ILogger logger) : IMutualInformationEstimator
{
    private bool _warnedCondition;

    public double Temperature => temperature;
    public bool Bidirectional => bidirectional;
    public bool IntraView => intraView;

    /// <summary>Lower: log N − L_NCE ≤ I(x; y).</summary>
    public InformationBound Bound => InformationBound.Lower;

    /// <summary>No parameters: the critic is a fixed cosine similarity over the inputs (learned encoders supply x and y).</summary>
    public nn.Module? Module => null;

    public Tensor? LearningLoss(Tensor x, Tensor y) => null;

    /// <summary>log N − L_NCE in nats, differentiable in x and y. <paramref name="condition"/> is ignored (see conditional-infonce).</summary>
    public Tensor Estimate(Tensor x, Tensor y, Tensor? condition = null)
    {
        PairedRows.Check(InfoBoundsPlugin.InfoNce, x, y);
        if (x.shape[1] != y.shape[1])
            throw new ArgumentException($"{InfoBoundsPlugin.InfoNce}: a cosine critic needs x and y of the same width; got x {PairedRows.Shape(x)} and y {PairedRows.Shape(y)}");
        if (condition is not null && !_warnedCondition)
        {
            logger.LogWarning("{Estimator} ignores the condition it was given: it bounds I(x; y), not I(x; y | s)", InfoBoundsPlugin.InfoNce);
            _warnedCondition = true;
        }
        var xn = nn.functional.normalize(x, p: 2, dim: 1);
        var yn = nn.functional.normalize(y, p: 2, dim: 1);
        var loss = Loss(xn, yn);
        if (bidirectional) loss = loss.Plus(Loss(yn, xn)).Over(2);
        return loss.neg().PlusValue(Math.Log(x.shape[0]));
    }

    /// <summary>L_NCE with <paramref name="anchors"/> as the rows whose positives are the same rows of <paramref name="candidates"/> (both L2-normalised).</summary>
    private Tensor Loss(Tensor anchors, Tensor candidates)
    {
        var between = anchors.mm(candidates.t()).Over(temperature);
        var all = between;
        if (intraView)
        {
            long n = anchors.shape[0];
            var self = eye(n, dtype: ScalarType.Bool, device: anchors.device);
            var within = anchors.mm(anchors.t()).Over(temperature).masked_fill(self, HeldScalars.MinusInfinity);
            all = cat([between, within], 1);
        }
        return (all.logsumexp(1) - between.diagonal()).mean();
    }

    public void Dispose() { }
}
