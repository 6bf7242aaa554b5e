using Untangle.Host.Composition;

namespace Untangle.Host.Perf;

/// <summary>
/// Floating-point operations of one training epoch, counted from the layer sizes (a multiply-add is
/// 2 FLOPs; the backward pass of a product costs two more products, so forward + backward ≈ 3 ×
/// forward for dense layers). Only the terms that grow with the data are counted: element-wise
/// activations, the optimizer's update and the loss are left out, so the counts are lower bounds
/// within a few per cent for the dense methods. Null for a method whose cost depends on slot
/// components the count does not follow (MMSSL's modality graphs, DCID's representation phase).
/// </summary>
internal static class EpochFlops
{
    /// <param name="trainInteractions">T, training interactions (BPR methods draw one triple per interaction).</param>
    /// <param name="trainUsers">U, users with training interactions (user-row methods encode each once per epoch).</param>
    /// <param name="items">I, items.</param>
    /// <param name="batches">B, batches per epoch.</param>
    public static double? Of(ResolvedExperiment experiment, long trainInteractions, long trainUsers, long items, long batches)
    {
        double t = trainInteractions, u = trainUsers, i = items, b = batches;
        var hyper = experiment.Hyper;
        switch (experiment.MethodName)
        {
            case "bpr-mf":
                return Bpr(t, hyper.Int("embedding_size"));
            case "lightgcn":
            {
                // Each batch propagates the whole graph: L products Â·E with nnz(Â) = 2T (both
                // directions of every interaction), 2·nnz·d each, and as many Âᵀ·G in the backward pass.
                // L is the encoder slot's; another encoder in the slot is not counted.
                if (!experiment.Slots.TryGetValue("encoder", out var encoder) || encoder.Component.Name != "lightgcn") return null;
                double d = hyper.Int("embedding_size"), layers = encoder.Settings.Int("layers"), nnz = 2 * t;
                return b * 2 * layers * (2 * nnz * d) + Bpr(t, d);
            }
            case "multvae":
            case "multdae":
            {
                // Dense layers items → hidden… → latent (2·latent outputs for μ, log σ² in MultVAE) and mirrored
                // back to items, 2·in·out each per user row, × 3 for the backward pass.
                var widths = new List<double> { i };
                widths.AddRange(hyper.IntList("hidden_dims").Select(h => (double)h));
                double latent = hyper.Int("latent_dim");
                double forward = 0;
                for (int k = 0; k + 1 < widths.Count; k++) forward += 2 * widths[k] * widths[k + 1];
                forward += 2 * widths[^1] * (experiment.MethodName == "multvae" ? 2 * latent : latent);
                double back = 0;
                var decoder = widths.AsEnumerable().Reverse().ToList();
                back += 2 * latent * decoder[0];
                for (int k = 0; k + 1 < decoder.Count; k++) back += 2 * decoder[k] * decoder[k + 1];
                return 3 * u * (forward + back);
            }
            case "macridvae":
            {
                // Per user and concept k: the encoder reads the concept-weighted row x ⊙ c_k through the item
                // embeddings (items × d → 2d outputs: μ_k and λ_k, 2·I·2d), and the decoder scores every item
                // against z_k (2·I·d); × 3 for the backward pass. The assignment (I × K cosines) is per batch.
                double d = hyper.Int("dim"), k = hyper.Int("concepts");
                return 3 * (u * k * (2 * i * 2 * d + 2 * i * d) + b * 2 * i * k * d);
            }
            default:
                return null;
        }
    }

    // One triple per training interaction: two scores e_uᵀe_i (2d each) and the ego L2 of three rows
    // (2d each), × 3 for the backward pass.
    private static double Bpr(double interactions, double d) => 3 * interactions * (2 * 2 * d + 3 * 2 * d);
}
