using TorchSharp;
using static TorchSharp.torch;
using Untangle.Contracts.Training;

namespace Untangle.Plugins.Mmssl;

/// <summary>
/// The critic's "real" rows in MMSSL (Wei et al., WWW 2023, sec. 3.2): the observed interaction rows
/// made continuous by the Gumbel-softmax and augmented with the model's own user–item affinity,
/// <code>
///   Ã[u, ·] = softmax((A[u, ·] + g) / τ) + ζ·cos(h_u, h_·),   g = −log(−log U),  U ~ Uniform(0, 1),
/// </code>
/// with the user's training items left out of the affinity and each row L2-normalised over the items
/// (<see cref="Real"/>), as the generated rows are (<see cref="ModalityRelationGenerator.Relation"/>).
/// </summary>
/// <remarks>
/// <para>Follows the paper: (A + g) is divided by τ. The official code divides only the noise by τ
/// (operator precedence, specs/mmssl.md) and also scales the noise by log_log_scale = 1e-5.</para>
/// <para>ζ is the official ui_pre_scale (100): the official real row is
/// normalize(softmax(·) + 100·normalize(h_u·h_i with known items zeroed)). With ζ = 100 the affinity
/// dominates the row: the critic compares the modality relation rows with the collaborative model's
/// own preference rows, which is what carries the collaborative signal into the projections. (An
/// earlier Untangle default read ζ as log_log_scale = 1e-5, which left the real rows near one-hot
/// Gumbel samples that no relation row can resemble.)</para>
/// <para>Rows are L2-normalised as in the official u_sim_calculation (fake) and F.normalize (real):
/// without it the real rows (sum 1) and the cosine rows (entries in [−1, 1]) differ in scale alone,
/// and the critic separates them by the row norm.</para>
/// </remarks>
public static class GumbelRows
{
    private const double Eps = 1e-20;

    /// <summary>softmax((A + g)/τ) per row, with fresh Gumbel noise g from torch's generator.</summary>
    public static Tensor Transform(Tensor interactions, double tau)
    {
        using var eps = Eps.ToScalar();
        using var inverseTau = (1.0 / tau).ToScalar();
        var uniform = rand_like(interactions);
        var gumbel = -(-uniform.add(eps, HeldScalars.One).log()).add(eps, HeldScalars.One).log();
        return interactions.add(gumbel, HeldScalars.One).mul(inverseTau).softmax(1);
    }

    /// <summary>
    /// Ã rows: <see cref="Transform"/> plus ζ·cos(h_u, h_i) for the batch's users against every item;
    /// the affinity of the user's training items (A = 1) is zeroed when <paramref name="zeroKnown"/>,
    /// and each row is L2-normalised when <paramref name="normalizeRows"/>.
    /// </summary>
    public static Tensor Real(Tensor interactions, double tau, Tensor userEmbeddings, Tensor itemEmbeddings, double zeta,
        bool zeroKnown = false, bool normalizeRows = false)
    {
        var rows = Transform(interactions, tau);
        if (zeta != 0)
        {
            var affinity = nn.functional.normalize(userEmbeddings, p: 2, dim: 1).mm(nn.functional.normalize(itemEmbeddings, p: 2, dim: 1).t());
            if (zeroKnown) affinity = affinity - affinity * interactions;
            using var weight = zeta.ToScalar();
            rows = rows.add(affinity, weight);
        }
        return normalizeRows ? nn.functional.normalize(rows, p: 2, dim: 1) : rows;
    }
}
