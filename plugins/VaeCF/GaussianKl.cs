using static TorchSharp.torch;
using Untangle.Contracts.Training;

namespace Untangle.Plugins.VaeCF;

/// <summary>
/// KL(N(μ, diag σ²) ‖ N(0, I)) per user, averaged over the batch, with σ² = exp(logvar)
/// (Liang et al., WWW 2018, eq. 5; reference code:
/// <c>tf.reduce_mean(tf.reduce_sum(0.5 * (-logvar + tf.exp(logvar) + mu**2 - 1), axis=1))</c>).
/// </summary>
public static class GaussianKl
{
    public static Tensor ToStandardNormal(Tensor mu, Tensor logVariance) =>
        // ½(exp(logvar) − logvar + μ² − 1), with StableScalar constants rather than temporary Scalars.
        (logVariance.exp() - logVariance).Plus(mu * mu).sub(StableScalar.One).mul(StableScalar.Half).sum(1).mean();
}
