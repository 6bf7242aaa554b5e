using static TorchSharp.torch;

namespace Untangle.Plugins.VaeCF;

/// <summary>
/// The multinomial log-likelihood of a user's clicks under the decoder's softmax (Liang et al., WWW
/// 2018, eq. 2): log p(x_u | z_u) = Σ_i x_ui · log π_i(z_u) with π = softmax(logits). The loss is its
/// negative averaged over the batch's users, as the reference code's
/// <c>-tf.reduce_mean(tf.reduce_sum(log_softmax(logits) * x, axis=1))</c>.
/// </summary>
public static class MultinomialLikelihood
{
    /// <summary>−(1/B) Σ_u Σ_i x_ui · log_softmax(logits_u)_i, reading x only at its non-zeros.</summary>
    public static Tensor NegativeLogLikelihood(Tensor logits, SparseRows clicks) =>
        -clicks.MeanRowDot(logits.log_softmax(1));
}
