using static TorchSharp.torch;

namespace Untangle.Plugins.Mmssl;

/// <summary>
/// The critic's "real" rows in MMSSL (Wei et al., WWW 2023, sec. 3.2): the observed interaction rows
/// made continuous by the Gumbel-softmax and augmented with the model's own user–item affinity,
/// <code>
///   Ã[u, ·] = softmax((A[u, ·] + g) / τ) + ζ·cos(h_u, h_·),   g = −log(−log U),  U ~ Uniform(0, 1).
/// </code>
/// </summary>
/// <remarks>Follows the paper: (A + g) is divided by τ. The official code divides only the noise by τ
/// (operator precedence, specs/mmssl.md).</remarks>
public static class GumbelRows
{
    private const double Eps = 1e-20;

    /// <summary>softmax((A + g)/τ) per row, with fresh Gumbel noise g from torch's generator.</summary>
    public static Tensor Transform(Tensor interactions, double tau)
    {
        var uniform = rand_like(interactions);
        var gumbel = -(-(uniform + Eps).log() + Eps).log();
        return ((interactions + gumbel) / tau).softmax(1);
    }

    /// <summary>Ã rows: <see cref="Transform"/> plus ζ·cos(h_u, h_i) for the batch's users against every item.</summary>
    public static Tensor Real(Tensor interactions, double tau, Tensor userEmbeddings, Tensor itemEmbeddings, double zeta)
    {
        var rows = Transform(interactions, tau);
        if (zeta == 0) return rows;
        var affinity = nn.functional.normalize(userEmbeddings, p: 2, dim: 1).mm(nn.functional.normalize(itemEmbeddings, p: 2, dim: 1).t());
        return rows + zeta * affinity;
    }
}
