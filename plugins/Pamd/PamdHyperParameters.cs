using Untangle.Contracts.Settings;
using Untangle.Plugins.InfoBounds;

namespace Untangle.Plugins.Pamd;

/// <summary>How the recommender is trained on (user, positive, negative) triples.</summary>
public enum RecommendationObjective
{
    /// <summary>PAMD's: −log σ(ŷ_ui) − log(1 − σ(ŷ_uj)), one sampled negative per positive.</summary>
    Pointwise,
    /// <summary>−log σ(ŷ_ui − ŷ_uj) (Rendle et al., UAI 2009), offered as an option.</summary>
    Bpr,
}

/// <summary>What the cross-modal decoders are trained with.</summary>
public enum DecoderLoss
{
    /// <summary>PAMD's contrastive ordering: decoding from the common part beats the full one beats the specific one.</summary>
    Contrastive,
    /// <summary>The "without the contrastive loss" ablation: only the common part decodes the other modality (MSE), nothing is ranked.</summary>
    Reconstruction,
}

/// <summary>
/// PAMD's hyper-parameters with the official code's defaults where it has them (specs/dcid-pamd.md):
/// Adam 1e-3, weight decay 1e-5, batch 100 and temperature 0.5 in pretraining; the pretrained encoders
/// fine-tuned at 1e-4 and the rest at 1e-3; loss weights 1. d is 64 here (the code: 50 or 100).
/// </summary>
public sealed record PamdHyperParameters(
    string ModalityV, string ModalityT, int EmbeddingSize, double InitStd,
    int PretrainEpochs, int PretrainBatchSize, double PretrainLearningRate, double WeightDecay, double Temperature,
    bool UseEncoderLosses, bool UseDecoderLoss, DecoderLoss DecoderLoss,
    double SimilarityWeight, double SeparationWeight, double DecoderWeight,
    EstimatorSchedule SeparationSchedule, double EstimatorLearningRate,
    double LearningRate, double FinetuneLearningRate, RecommendationObjective Objective)
{
    public static IReadOnlyList<SettingSpec> Specs { get; } =
    [
        SettingSpec.String("modality_v", "image", "item features (Dataset.ItemFeatures) PAMD treats as its visual modality v (MovieLens: genre)"),
        SettingSpec.String("modality_t", "text", "item features PAMD treats as its text modality t"),
        SettingSpec.Int("embedding_size", 64, "d: the encoders' output size, the commons and specifics, and the user and item ID embeddings (official: 50 or 100)").AtLeast(1),
        SettingSpec.Float("init_std", 0.1, "std of the N(0, std^2) user and item ID embeddings (Foundation's; the official code uses nn.Embedding's N(0, 1))").Positive(),
        SettingSpec.Int("pretrain_epochs", 1000, "epochs of pretraining on the items before the recommender trains (0: none, an untrained encoder); the official code runs 1000 and keeps epoch 90 of ~230 batches each").AtLeast(0),
        SettingSpec.Int("pretrain_batch_size", 100, "items per pretraining batch (official: 100)").AtLeast(2),
        SettingSpec.Float("pretrain_learning_rate", 1e-3, "Adam learning rate of pretraining").Positive(),
        SettingSpec.Float("weight_decay", 1e-5, "Adam weight decay in both phases (official: 1e-5)").AtLeast(0),
        SettingSpec.Float("temperature", 0.5, "temperature of the contrastive decoder loss (official: 0.5)").Positive(),
        SettingSpec.Bool("use_encoder_losses", true, "L_sim and the separation term (false with use_decoder_loss true: the PAMD_de ablation)"),
        SettingSpec.Bool("use_decoder_loss", true, "the cross-modal decoder loss (false: the PAMD_en ablation, encoder losses only)"),
        SettingSpec.String("decoder_loss", "contrastive", "'contrastive' (PAMD: common > full > specific per row) or 'reconstruction' (the without-contrastive ablation: MSE of the other modality decoded from the common part)"),
        SettingSpec.Float("sim_weight", 1.0, "weight of L_sim = MSE(c_v, c_t)").AtLeast(0),
        SettingSpec.Float("separation_weight", 1.0, "weight of the separation term between s_v and s_t (the 'separation' slot: orthogonality = L_ort)").AtLeast(0),
        SettingSpec.Float("decoder_weight", 1.0, "weight of each direction's decoder loss").AtLeast(0),
        EstimatorSchedule.Setting("separation_schedule", "5/batch", "when a separation estimator with a network (club, club-sample) fits it during pretraining: 'k/batch' or 'n/epoch' (orthogonality has none)"),
        SettingSpec.Float("estimator_learning_rate", 1e-3, "Adam learning rate of the separation estimator's network").Positive(),
        SettingSpec.Float("learning_rate", 1e-3, "Adam learning rate of the recommender's user and item ID embeddings").Positive(),
        SettingSpec.Float("finetune_learning_rate", 1e-4, "Adam learning rate at which the pretrained encoders are fine-tuned (0: frozen)").AtLeast(0),
        SettingSpec.String("objective", "pointwise", "'pointwise' (PAMD: log loss on the positive and one sampled negative) or 'bpr'"),
    ];

    public static PamdHyperParameters Read(SettingValues hyper)
    {
        var h = new PamdHyperParameters(
            hyper.String("modality_v").Trim(), hyper.String("modality_t").Trim(), hyper.Int("embedding_size"), hyper.Float("init_std"),
            hyper.Int("pretrain_epochs"), hyper.Int("pretrain_batch_size"), hyper.Float("pretrain_learning_rate"),
            hyper.Float("weight_decay"), hyper.Float("temperature"),
            hyper.Bool("use_encoder_losses"), hyper.Bool("use_decoder_loss"),
            Choice<DecoderLoss>(hyper, "decoder_loss", "'contrastive' or 'reconstruction'"),
            hyper.Float("sim_weight"), hyper.Float("separation_weight"), hyper.Float("decoder_weight"),
            EstimatorSchedule.Read(hyper, "separation_schedule"), hyper.Float("estimator_learning_rate"),
            hyper.Float("learning_rate"), hyper.Float("finetune_learning_rate"),
            Choice<RecommendationObjective>(hyper, "objective", "'pointwise' or 'bpr'"));
        Require(h.ModalityV.Length > 0, "modality_v", h.ModalityV, "the name of an item feature matrix");
        Require(h.ModalityT.Length > 0, "modality_t", h.ModalityT, "the name of an item feature matrix");
        Require(h.ModalityV != h.ModalityT, "modality_t", h.ModalityT, $"a modality other than modality_v ('{h.ModalityV}')");
        Require(h.UseEncoderLosses || h.UseDecoderLoss, "use_decoder_loss", h.UseDecoderLoss, "true when use_encoder_losses is false (pretraining needs at least one loss)");
        return h;
    }

    private static T Choice<T>(SettingValues hyper, string name, string expected) where T : struct, Enum
    {
        var text = hyper.String(name).Trim();
        return Enum.TryParse<T>(text, ignoreCase: true, out var value) && Enum.IsDefined(value) && !int.TryParse(text, out _)
            ? value
            : throw new ArgumentException($"hyper.{name}: '{text}' is not valid; expected {expected}");
    }

    private static void Require(bool ok, string name, object value, string expected)
    {
        if (!ok) throw new ArgumentException($"hyper.{name}: '{SettingSpec.Format(value)}' is not valid; expected {expected}");
    }
}
