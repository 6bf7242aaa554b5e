using Untangle.Plugins.InfoBounds;
using Untangle.Contracts.Training;
using static TorchSharp.torch;

namespace Untangle.Plugins.Pamd;

/// <summary>PAMD's pretraining losses (Han et al., WWW 2022, sec. 3.2–3.3; specs/dcid-pamd.md) as plain functions.</summary>
public static class PamdLosses
{
    /// <summary>L_sim = MSE(c_v, c_t): pulls the two commons together (the official <c>MSELoss(reduction='mean')</c>).</summary>
    public static Tensor Similarity(Tensor commonV, Tensor commonT) => PartRegularisers.Distance(commonV, commonT);

    /// <summary>
    /// L_ort = mean_i (s_v,i·s_t,i)²: pushes the specifics towards orthogonality. The same function as the
    /// InfoBounds "orthogonality" estimator that fills the "separation" slot by default.
    /// </summary>
    public static Tensor Orthogonality(Tensor specificV, Tensor specificT) => PartRegularisers.SquaredDot(specificV, specificT);

    /// <summary>
    /// The contrastive ordering loss of one decoding direction (sec. 3.3; official <c>decoder_loss_function</c>):
    /// with every vector L2-normalised and τ the temperature, per row i
    /// <code>
    ///   p1 = exp(cos(x_i, Dec(c)_i)/τ)   p2 = exp(cos(x_i, Dec(h)_i)/τ)   n = exp(cos(x_i, Dec(s)_i)/τ)
    ///   L  = −mean_i log(p1/(p1 + p2 + n)) − mean_i log(p2/(p2 + n))
    /// </code>
    /// so decoding the target from the common part must beat decoding it from the whole representation,
    /// and both must beat decoding it from the specific part.
    /// </summary>
    /// <remarks>
    /// Deviation from the official code, on purpose: it computes n from <c>torch.sum(img * txt_s)</c> with no
    /// dim, i.e. one scalar summed over the whole batch that every row then shares, which makes the
    /// "specific" negative depend on the batch size and on other items. The paper and the spec define it
    /// per row, as here. Computed as log-softmax (no 1e-24 guard needed).
    /// </remarks>
    /// <param name="target">rows × F: the modality being decoded (x_v for t→v).</param>
    /// <param name="fromFull">Dec(h) of the other modality; <paramref name="fromCommon"/> Dec(c); <paramref name="fromSpecific"/> Dec(s).</param>
    public static Tensor DecoderOrdering(Tensor target, Tensor fromFull, Tensor fromCommon, Tensor fromSpecific, double temperature)
    {
        var x = nn.functional.normalize(target, p: 2, dim: 1);
        Tensor Logit(Tensor decoded) => (x * nn.functional.normalize(decoded, p: 2, dim: 1)).sum(1).Over(temperature);
        var common = Logit(fromCommon);
        var full = Logit(fromFull);
        var specific = Logit(fromSpecific);
        var first = stack([common, full, specific], 1).logsumexp(1) - common;
        var second = stack([full, specific], 1).logsumexp(1) - full;
        return first.mean() + second.mean();
    }

    /// <summary>
    /// The "without the contrastive loss" ablation of one direction: MSE(Dec(c), x), the common part
    /// alone decodes the other modality and nothing is ranked against the full or specific decodings.
    /// </summary>
    public static Tensor Reconstruction(Tensor target, Tensor fromCommon) => (fromCommon - target).Squared().mean();
}
