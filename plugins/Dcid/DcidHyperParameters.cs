using Untangle.Contracts.Settings;
using Untangle.Plugins.InfoBounds;

namespace Untangle.Plugins.Dcid;

/// <summary>
/// DCID's hyper-parameters (specs/dcid-pamd.md): the representation phase with the paper's optimiser
/// (Adam, gradient clipping 0.5; learning rate 1e-3, not the paper's 4e-4: see pretrain_learning_rate), CLUB's q fitted 5 Adam steps at 1e-3 per batch, commitment
/// β = 0.25, EMA γ = 0.99; the recommendation phase a BPR backbone over the frozen commons (or codes).
/// Sizes are smaller than the paper's (256-d codes, 400 codes) because item feature vectors are small.
/// </summary>
public sealed record DcidHyperParameters
{
    public required string Modalities { get; init; }
    public required int CommonSize { get; init; }
    public required int SpecificSize { get; init; }
    public required int HiddenSize { get; init; }
    public required int PretrainEpochs { get; init; }
    public required int PretrainBatchSize { get; init; }
    public required double PretrainLearningRate { get; init; }
    public required double ClipGradNorm { get; init; }
    public required EstimatorSchedule ClubSchedule { get; init; }
    public required double ClubLearningRate { get; init; }
    public required double ClubWeight { get; init; }
    public required double ContrastWeight { get; init; }
    public required double SelfPairWeight { get; init; }
    public required double SelfViewDropout { get; init; }
    public required double ReconstructionWeight { get; init; }
    public required int CodebookSize { get; init; }
    public required double Commitment { get; init; }
    public required double Decay { get; init; }
    public required int DeadAfter { get; init; }
    public required int ActiveWithin { get; init; }
    public required bool ReconstructFromCodes { get; init; }
    public required bool UseClub { get; init; }
    public required bool UseContrast { get; init; }
    public required bool UseCodebook { get; init; }
    public required string RecommenderInput { get; init; }
    public required string Backbone { get; init; }
    public required int EmbeddingSize { get; init; }
    public required double InitStd { get; init; }
    public required double LearningRate { get; init; }
    public required double RegWeight { get; init; }

    public static IReadOnlyList<SettingSpec> Specs { get; } =
    [
        SettingSpec.String("modalities", "", "comma-separated item feature names (Dataset.ItemFeatures); empty: all, by name (synthetic: image,text; MovieLens 100K: genre,text)"),
        SettingSpec.Int("common_size", 16, "width of each modality's common (semantic) representation Φ_m(x); also the code width").Positive(),
        SettingSpec.Int("specific_size", 16, "width of each modality's specific representation Ψ_m(x)").Positive(),
        SettingSpec.Int("hidden_size", 64, "hidden width of the encoder and decoder MLPs (one hidden layer, ReLU)").Positive(),
        SettingSpec.Int("pretrain_epochs", 100, "epochs of the representation phase over the items (before the recommender trains)").AtLeast(0),
        SettingSpec.Int("pretrain_batch_size", 64, "items per batch in the representation phase").Positive(),
        SettingSpec.Float("pretrain_learning_rate", 1e-3, "Adam learning rate of the representation phase (paper 4e-4 over far more steps; with a few hundred items 4e-4 leaves the reconstruction unconverged after 150 epochs)").Positive(),
        SettingSpec.Float("clip_grad_norm", 0.5, "gradient clipping of the representation phase (paper 0.5)").Positive(),
        EstimatorSchedule.Setting("club_schedule", "5/batch", "when CLUB's q network trains: 'k/batch' (k Adam steps after each representation step on its detached commons and specifics; paper 5) or 'n/epoch' (n steps on all items)"),
        SettingSpec.Float("club_learning_rate", 1e-3, "Adam learning rate of CLUB's q network (paper 1e-3)").Positive(),
        SettingSpec.Float("club_weight", 1.0, "weight of the CLUB term I(Φ_m(x); Ψ_m(x)) per modality (paper 1)").AtLeast(0),
        SettingSpec.Float("contrast_weight", 1.0, "weight of the cross-modal InfoNCE (paper 1)").AtLeast(0),
        SettingSpec.Float("self_pair_weight", 0.1, "weight of the self pairs relative to the cross pairs in the InfoNCE (paper's CPC: 0.1); a self pair contrasts a modality's commons with those of a feature-dropout view of the same items").AtLeast(0),
        SettingSpec.Float("self_view_dropout", 0.1, "feature dropout making the second view of a self pair").Within(0, 1, maxExclusive: true),
        SettingSpec.Float("reconstruction_weight", 1.0, "weight of the reconstruction MSE per modality (paper 1)").AtLeast(0),
        SettingSpec.Int("codebook_size", 64, "codes in the codebook shared by the modalities (paper 400 for thousands of clips; items are fewer)").AtLeast(1),
        SettingSpec.Float("commitment", 0.25, "β of the commitment loss β(2·MSE(z_m, q_m) + mean over partners MSE(z_m, q_n)) (paper 0.25)").AtLeast(0),
        SettingSpec.Float("decay", 0.99, "γ of the multi-modal EMA codebook update (paper 0.99)").Within(0, 1, minExclusive: true, maxExclusive: true),
        SettingSpec.Int("dead_after", 300, "a code no modality has chosen for more than this many batches is reset to an active code plus noise (official 300)").Positive(),
        SettingSpec.Int("active_within", 100, "codes chosen within this many batches count as active when a dead code is reset (official 100)").Positive(),
        SettingSpec.Bool("reconstruct_from_codes", true, "with the codebook: decode from the straight-through quantised commons, as the official code (false: from the continuous commons)"),
        SettingSpec.Bool("use_club", true, "ablation switch: false drops the CLUB term and its q fitting"),
        SettingSpec.Bool("use_contrast", true, "ablation switch: false drops the cross-modal InfoNCE"),
        SettingSpec.Bool("use_codebook", true, "ablation switch: false drops the codebook (no quantisation, no commitment, no EMA)"),
        SettingSpec.String("recommender_input", "common", "what the recommender adds to the item ID embedding, projected: 'common' (each modality's commons, concatenated), 'codes' (each modality's code vectors; needs the codebook), 'all' (commons and specifics), 'none' (plain backbone)"),
        SettingSpec.String("backbone", "mf", "the recommender: 'mf' (BPR-MF: score e_u·(e_i + W r_i)) or 'lightgcn' (the same item input propagated by the encoder slot over the graph slot)"),
        SettingSpec.Int("embedding_size", 64, "d of the user and item embeddings of the recommender").Positive(),
        SettingSpec.Float("init_std", 0.1, "std of the N(0, std^2) ID embedding initialisation (Foundation's draw)").Positive(),
        SettingSpec.Float("learning_rate", 1e-3, "Adam learning rate of the recommendation phase").Positive(),
        SettingSpec.Float("reg_weight", 1e-4, "L2 on the batch's ego embeddings (Foundation's BPR)").AtLeast(0),
    ];

    public static readonly string[] RecommenderInputs = ["common", "codes", "all", "none"];
    public static readonly string[] Backbones = ["mf", "lightgcn"];

    public static DcidHyperParameters Read(SettingValues h)
    {
        var p = new DcidHyperParameters
        {
            Modalities = h.String("modalities"),
            CommonSize = h.Int("common_size"), SpecificSize = h.Int("specific_size"), HiddenSize = h.Int("hidden_size"),
            PretrainEpochs = h.Int("pretrain_epochs"), PretrainBatchSize = h.Int("pretrain_batch_size"),
            PretrainLearningRate = h.Float("pretrain_learning_rate"), ClipGradNorm = h.Float("clip_grad_norm"),
            ClubSchedule = EstimatorSchedule.Read(h, "club_schedule"), ClubLearningRate = h.Float("club_learning_rate"),
            ClubWeight = h.Float("club_weight"), ContrastWeight = h.Float("contrast_weight"),
            SelfPairWeight = h.Float("self_pair_weight"), SelfViewDropout = h.Float("self_view_dropout"),
            ReconstructionWeight = h.Float("reconstruction_weight"),
            CodebookSize = h.Int("codebook_size"), Commitment = h.Float("commitment"), Decay = h.Float("decay"),
            DeadAfter = h.Int("dead_after"), ActiveWithin = h.Int("active_within"),
            ReconstructFromCodes = h.Bool("reconstruct_from_codes"),
            UseClub = h.Bool("use_club"), UseContrast = h.Bool("use_contrast"), UseCodebook = h.Bool("use_codebook"),
            RecommenderInput = h.String("recommender_input").Trim().ToLowerInvariant(),
            Backbone = h.String("backbone").Trim().ToLowerInvariant(),
            EmbeddingSize = h.Int("embedding_size"), InitStd = h.Float("init_std"),
            LearningRate = h.Float("learning_rate"), RegWeight = h.Float("reg_weight"),
        };
        Require(RecommenderInputs.Contains(p.RecommenderInput), "recommender_input", p.RecommenderInput, $"one of {string.Join(", ", RecommenderInputs)}");
        Require(p.RecommenderInput != "codes" || p.UseCodebook, "recommender_input", p.RecommenderInput, "'common', 'all' or 'none' when use_codebook is false (there are no codes)");
        Require(Backbones.Contains(p.Backbone), "backbone", p.Backbone, $"one of {string.Join(", ", Backbones)}");
        return p;
    }

    private static void Require(bool ok, string name, object value, string expected)
    {
        if (!ok) throw new ArgumentException($"hyper.{name}: '{SettingSpec.Format(value)}' is not valid; expected {expected}");
    }
}
