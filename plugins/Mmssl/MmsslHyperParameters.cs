using Untangle.Contracts.Settings;

namespace Untangle.Plugins.Mmssl;

/// <summary>
/// MMSSL's hyper-parameters with the official code's defaults (specs/mmssl.md), except where the
/// official values leave a mechanism inert: the modality graphs are rebuilt every T = 2 batches with
/// top-k ≥ 1 (official T 1 and k = int(I·1e-4), which is 0 for a few thousand items). ζ
/// (real_signal_weight) is the official ui_pre_scale, 100.
/// </summary>
public sealed record MmsslHyperParameters
{
    public required int EmbeddingSize { get; init; }
    public required double InitStd { get; init; }
    public required double LearningRate { get; init; }
    public required double CriticLearningRate { get; init; }
    public required double RegWeight { get; init; }
    public required double FeatureDropout { get; init; }
    public required int Heads { get; init; }
    public required double IdRate { get; init; }
    public required double ModalityRate { get; init; }
    public required double ContrastWeight { get; init; }
    public required double GeneratorWeight { get; init; }
    public required double GumbelTau { get; init; }
    public required double RealSignalWeight { get; init; }
    public required int TopK { get; init; }
    public required int RebuildEvery { get; init; }
    public required int CriticRows { get; init; }
    public required bool ZeroKnown { get; init; }
    public required bool NormalizeRows { get; init; }
    public required bool ItemSelfFeatures { get; init; }
    public required string Modalities { get; init; }
    public required bool UseCritic { get; init; }
    public required bool UseContrastive { get; init; }
    public required bool UseModalityGraphs { get; init; }
    public required bool UseAttention { get; init; }

    public static IReadOnlyList<SettingSpec> Specs { get; } =
    [
        SettingSpec.Int("embedding_size", 64, "d: ID embeddings and modality projections (official 64)").Positive(),
        SettingSpec.Float("init_std", 0.1, "std of the N(0, std^2) ID embedding initialisation (Foundation's draw; official: Xavier)").Positive(),
        SettingSpec.Float("learning_rate", 5.5e-4, "Adam learning rate of the main step (official 5.5e-4, AdamW)").Positive(),
        SettingSpec.Float("critic_learning_rate", 3e-4, "Adam learning rate of the critic step, betas (0.5, 0.9) (official 3e-4)").Positive(),
        SettingSpec.Float("reg_weight", 1e-5, "L2 on the batch's ego embeddings (official regs 1e-5)").AtLeast(0),
        SettingSpec.Float("feature_dropout", 0.2, "dropout on each modality's projected features (official 0.2)").Within(0, 1, maxExclusive: true),
        SettingSpec.Int("heads", 4, "heads of the cross-modal self-attention (official head_num 4; must divide embedding_size)"),
        SettingSpec.Float("id_rate", 0.36, "eta: weight of the attended modality views added to the ID embeddings before propagation (official id_cat_rate 0.36)").AtLeast(0),
        SettingSpec.Float("modality_rate", 0.55, "omega: weight of the normalised modality features added to the final embeddings (official model_cat_rate 0.55)").AtLeast(0),
        SettingSpec.Float("contrast_weight", 0.03, "lambda2 on the cross-modal contrastive loss (official cl_rate 0.03)").AtLeast(0),
        SettingSpec.Float("generator_weight", 1e-4, "lambda3 on the adversarial generator loss (official G_rate 1e-4)").AtLeast(0),
        SettingSpec.Float("gumbel_tau", 0.005, "tau of the Gumbel transform of the real rows, softmax((A + g)/tau) (official real_data_tau 0.005)").Positive(),
        SettingSpec.Float("real_signal_weight", 100, "zeta on cos(h_u, h_i) added to the real rows (official ui_pre_scale 100; its log_log_scale 1e-5 scales the Gumbel noise, not this term)").AtLeast(0),
        SettingSpec.Int("topk", 10, "k: modality-aware neighbours per user (at least 1; official int(I * 1e-4), often 0)").AtLeast(1),
        SettingSpec.Int("rebuild_every", 2, "T: rebuild the modality-aware graphs every T batches (the paper's T; official default 1 collects edges only at batch 0)").AtLeast(1),
        SettingSpec.Int("critic_rows", 1024, "at most this many distinct batch users give relation rows to the critic (rows x items floats per modality)").AtLeast(2),
        SettingSpec.Bool("zero_known", true, "zero the user's training items in the generated relation rows and in the real rows' affinity (official u_sim_calculation)"),
        SettingSpec.Bool("normalize_rows", true, "L2-normalise every critic row over the items, real and generated (official u_sim_calculation and F.normalize); false: raw rows"),
        SettingSpec.Bool("item_self_features", false, "add each item's own projected features to its aggregated modality features f_i^m (a self-loop; deviation: the paper and official code use only the users' sums)"),
        SettingSpec.String("modalities", "", "comma-separated item feature names to use; empty: all of the data set's ItemFeatures"),
        SettingSpec.Bool("use_critic", true, "ablation switch: false drops the critic step and the generator loss"),
        SettingSpec.Bool("use_contrastive", true, "ablation switch: false drops the cross-modal contrastive loss"),
        SettingSpec.Bool("use_modality_graphs", true, "ablation switch: false drops the modality-aware graphs, their views and attention (and so the contrastive loss)"),
        SettingSpec.Bool("use_attention", true, "false: mean of the modality views without self-attention"),
    ];

    public static MmsslHyperParameters Read(SettingValues h)
    {
        var p = new MmsslHyperParameters
        {
            EmbeddingSize = h.Int("embedding_size"), InitStd = h.Float("init_std"),
            LearningRate = h.Float("learning_rate"), CriticLearningRate = h.Float("critic_learning_rate"),
            RegWeight = h.Float("reg_weight"), FeatureDropout = h.Float("feature_dropout"), Heads = h.Int("heads"),
            IdRate = h.Float("id_rate"), ModalityRate = h.Float("modality_rate"),
            ContrastWeight = h.Float("contrast_weight"), GeneratorWeight = h.Float("generator_weight"),
            GumbelTau = h.Float("gumbel_tau"), RealSignalWeight = h.Float("real_signal_weight"),
            TopK = h.Int("topk"), RebuildEvery = h.Int("rebuild_every"), CriticRows = h.Int("critic_rows"),
            ZeroKnown = h.Bool("zero_known"), NormalizeRows = h.Bool("normalize_rows"), ItemSelfFeatures = h.Bool("item_self_features"), Modalities = h.String("modalities"),
            UseCritic = h.Bool("use_critic"), UseContrastive = h.Bool("use_contrastive"),
            UseModalityGraphs = h.Bool("use_modality_graphs"), UseAttention = h.Bool("use_attention"),
        };
        Require(p.Heads > 0 && p.EmbeddingSize % p.Heads == 0, "heads", p.Heads, $"a positive divisor of embedding_size {p.EmbeddingSize}");
        return p;
    }

    private static void Require(bool ok, string name, object value, string expected)
    {
        if (!ok) throw new ArgumentException($"hyper.{name}: '{SettingSpec.Format(value)}' is not valid; expected {expected}");
    }
}
