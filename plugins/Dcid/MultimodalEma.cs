using Untangle.Contracts.Training;
using static TorchSharp.torch;

namespace Untangle.Plugins.Dcid;

/// <summary>
/// DCID's multi-modal EMA codebook update (Xia et al., NeurIPS 2023, sec. 3.2, "MM-EMA"; official
/// <c>Cross_VQEmbeddingEMA.forward</c>). The modalities update the shared codebook one after another;
/// for modality m with one-hot assignments E_m (rows × K) of its vectors z_m:
/// <code>
///   N ← γ N + (1 − γ) Σ_rows E_m                      (code counts)
///   N ← (N + ε) / (Σ N + K ε) · Σ N                   (Laplace smoothing)
///   W ← γ W + (1 − γ) (½ E_mᵀ z_m + ½ mean_{n≠m} E_mᵀ z_n)
///   e ← W / N
/// </code>
/// Row i of every z_n is the same item, so each code chosen by modality m moves towards the mean of
/// its own vectors and of the partners' vectors of the same items: that is what pulls the modalities
/// into one codebook. With two modalities the partner mean is the other modality (0.5/0.5, the spec);
/// with more, the partners share the second half equally.
/// </summary>
public static class MultimodalEma
{
    /// <summary>
    /// One MM-EMA update. <paramref name="vectors"/>[m] is rows × d (detached), <paramref name="assignments"/>[m]
    /// the int64 code of each row. Returns the new counts (K), weights (K × d) and codebook (K × d).
    /// </summary>
    public static (Tensor Count, Tensor Weight, Tensor Embedding) Update(
        Tensor count, Tensor weight, IReadOnlyList<Tensor> vectors, IReadOnlyList<Tensor> assignments, double decay, double epsilon)
    {
        if (vectors.Count != assignments.Count || vectors.Count == 0)
            throw new ArgumentException($"MM-EMA needs one assignment vector per modality; got {vectors.Count} vector sets and {assignments.Count} assignments");
        long codes = count.shape[0];
        var n = count;
        var w = weight;
        for (int m = 0; m < vectors.Count; m++)
        {
            var encodings = nn.functional.one_hot(assignments[m], codes).to(vectors[m].dtype);
            n = n.Blend(decay, encodings.sum(dim: 0), 1 - decay);
            var total = n.sum();
            n = n.PlusValue(epsilon) / total.PlusValue(codes * epsilon) * total;
            var own = encodings.t().mm(vectors[m]);
            Tensor moved = own;
            if (vectors.Count > 1)
            {
                Tensor? partners = null;
                for (int p = 0; p < vectors.Count; p++)
                {
                    if (p == m) continue;
                    var term = encodings.t().mm(vectors[p]);
                    partners = partners is null ? term : partners.Plus(term);
                }
                moved = own.Blend(0.5, partners!, 0.5 / (vectors.Count - 1));
            }
            w = w.Blend(decay, moved, 1 - decay);
        }
        return (n, w, w / n.unsqueeze(1));
    }
}
