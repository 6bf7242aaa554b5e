using Untangle.Host.Composition;

namespace Untangle.Host.Perf;

/// <summary>
/// Floating-point operations of one training epoch, counted from the layer sizes (a multiply-add is
/// 2 FLOPs; the backward pass of a product costs two more products, so forward + backward ≈ 3 ×
/// forward for dense layers). Only the terms that grow with the data are counted: element-wise
/// activations, the optimizer's update and the loss are left out, so the counts are lower bounds
/// within a few per cent for the dense methods. Null for a method whose cost depends on slot
/// components the count does not follow (MMSSL or DCID with another critic or encoder than their
/// defaults). DCID's count is its training epoch, the recommendation phase; its representation phase
/// runs once, in the build stage.
/// </summary>
internal static class EpochFlops
{
    /// <param name="trainInteractions">T, training interactions (BPR methods draw one triple per interaction).</param>
    /// <param name="trainUsers">U, users with training interactions (user-row methods encode each once per epoch).</param>
    /// <param name="items">I, items.</param>
    /// <param name="batches">B, batches per epoch.</param>
    /// <param name="analyses">The run's own analyses: MMSSL's "resources" give the critic's rows per batch and the modalities, DCID's the width of the representation it projects, which depend on the batches and the data.</param>
    public static double? Of(ResolvedExperiment experiment, long trainInteractions, long trainUsers, long items, long batches,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>>? analyses = null)
    {
        double t = trainInteractions, u = trainUsers, i = items, b = batches;
        var hyper = experiment.Hyper;
        switch (experiment.MethodName)
        {
            case "bpr-mf":
                return Bpr(t, hyper.Int("embedding_size"));
            case "lightgcn":
            {
                // Each batch propagates the whole graph (Propagation). L is the encoder slot's; another
                // encoder in the slot is not counted.
                if (!experiment.Slots.TryGetValue("encoder", out var encoder) || encoder.Component.Name != "lightgcn") return null;
                double d = hyper.Int("embedding_size");
                return b * Propagation(encoder.Settings.Int("layers"), t, d) + Bpr(t, d);
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
            case "mmssl":
                return Mmssl(experiment, t, u, i, b, analyses);
            case "dcid":
            {
                // The recommendation phase (the epoch; the representation phase runs once, before training):
                // every batch projects every item's frozen representation, W r_i (I × |r| → d, × 3 for the
                // backward pass), then scores as BPR-MF, or propagates as LightGCN first.
                if (analyses?.GetValueOrDefault("resources")?.GetValueOrDefault("recommender_input_width", double.NaN) is not { } width || double.IsNaN(width)) return null;
                double d = hyper.Int("embedding_size"), perBatch = 3 * 2 * i * width * d;
                if (hyper.String("backbone").Trim().Equals("lightgcn", StringComparison.OrdinalIgnoreCase))
                {
                    if (!experiment.Slots.TryGetValue("encoder", out var encoder) || encoder.Component.Name != "lightgcn") return null;
                    perBatch += Propagation(encoder.Settings.Int("layers"), t, d);
                }
                return b * perBatch + Bpr(t, d);
            }
            default:
                return null;
        }
    }

    /// <summary>
    /// MMSSL per batch (MmsslMethod): the critic over relation rows of length I dominates. With R2 the
    /// critic's rows per batch (real and fake, all modalities; the run's "critic_rows_per_batch", the
    /// largest batch's, so an epoch's last, smaller batch is counted as full) and R =
    /// R2 / 2, and F = Σ 2·wₖ·wₖ₊₁ the critic MLP's forward products per row (I → widths → 1):
    /// <list type="bullet">
    /// <item>critic step: 3·R2·F (real and fake, forward and backward) + 6·R·F (the gradient penalty:
    /// forward and input-gradient pass at R interpolates, × 3 for the step's backward through both);</item>
    /// <item>main step: 3·R·F (the generator term −D(Â) on the fake rows);</item>
    /// <item>relation rows (R rows × d × I each time): the critic step's fake rows and the Gumbel affinity
    /// (no gradient, 2·2RdI) and the main step's fake rows (× 3): 10·R·d·I;</item>
    /// <item>LightGCN over the user-item graph as for LightGCN: 2·L·2·nnz·d;</item>
    /// <item>the modality graphs' rebuild every T batches and at the epoch's end: per modality the users × items scores, 2·U·d·I each.</item>
    /// </list>
    /// Plus BPR over the epoch's triples. Left out: the contrastive InfoNCE (distinct users² × d per modality,
    /// about 2 % at the MovieLens-100K shape), attention and the top-k modality graphs' sparse products.
    /// </summary>
    private static double? Mmssl(ResolvedExperiment experiment, double t, double u, double i, double b,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>>? analyses)
    {
        var hyper = experiment.Hyper;
        if (analyses?.GetValueOrDefault("resources") is not { } resources
            || !resources.TryGetValue("critic_rows_per_batch", out var criticRows) || !resources.TryGetValue("modalities", out var modalities)) return null;
        if (!experiment.Slots.TryGetValue("encoder", out var encoder) || encoder.Component.Name != "lightgcn") return null;
        double d = hyper.Int("embedding_size");
        double propagation = Propagation(encoder.Settings.Int("layers"), t, d);
        double critic = 0, relation = 0, rebuild = 0;
        if (hyper.Bool("use_critic"))
        {
            if (!experiment.Slots.TryGetValue("critic", out var slot) || slot.Component.Name != "wgan-gp") return null;
            var widths = slot.Settings.IntList("widths").Select(w => (double)w).ToList();
            if (widths.Count == 0) widths = [Math.Floor(i / 4), Math.Floor(i / 8)];
            var sizes = new List<double> { i };
            sizes.AddRange(widths);
            sizes.Add(1);
            double f = 0;
            for (int k = 0; k + 1 < sizes.Count; k++) f += 2 * sizes[k] * sizes[k + 1];
            double rows = criticRows, real = rows / 2;
            critic = 3 * rows * f + 6 * real * f + 3 * real * f;
            relation = 10 * real * d * i;
        }
        if (hyper.Bool("use_modality_graphs")) rebuild = (Math.Floor(b / hyper.Int("rebuild_every")) + 1) * modalities * 2 * u * d * i;
        return b * (critic + relation + propagation) + rebuild + Bpr(t, d);
    }

    // LightGCN's propagation of the whole graph, once per batch: L products Â·E with nnz(Â) = 2T (both
    // directions of every interaction), 2·nnz·d each, and as many Âᵀ·G in the backward pass.
    private static double Propagation(double layers, double interactions, double d) => 2 * layers * (2 * (2 * interactions) * d);

    // One triple per training interaction: two scores e_uᵀe_i (2d each) and the ego L2 of three rows
    // (2d each), × 3 for the backward pass.
    private static double Bpr(double interactions, double d) => 3 * interactions * (2 * 2 * d + 3 * 2 * d);
}
