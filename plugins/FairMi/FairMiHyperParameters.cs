using Untangle.Contracts.Data;
using Untangle.Contracts.Settings;
using Untangle.Plugins.InfoBounds;

namespace Untangle.Plugins.FairMi;

/// <summary>
/// FairMI's hyper-parameters with the official code's defaults (specs/fairmi.md): d = 64, Adam 1e-3,
/// embedding L2 1e-3, γ = β = 0.1, CLUB fitted 50 steps per epoch with Adam 1e-3, SemiGCN pretrained
/// 1000 epochs with Adam 1e-3. The plain preference model p is loaded from hyper.p_checkpoint or
/// trained as the official baseline script trains it (Adam 1e-3, L2 1e-3, up to 500 epochs), with the
/// best validation epoch kept (the official script keeps the best test epoch; specs/fairmi.md).
/// </summary>
public sealed record FairMiHyperParameters(
    int EmbeddingSize, string Init, double InitStd, double RegWeight, bool RegOnFinal, double LearningRate,
    double LowerWeight, double UpperWeight, bool ItemUpperBound, EstimatorSchedule UpperSchedule, double EstimatorLearningRate,
    string SensitiveAttribute, int SensitiveEpochs, double SensitiveLearningRate,
    int PreferenceEpochs, int PreferencePatience, double PreferenceRegWeight, string PreferenceCheckpoint, int AttackerEvery, string UpperOn)
{
    public static IReadOnlyList<SettingSpec> Specs { get; } =
    [
        SettingSpec.Int("embedding_size", 64, "dimension d of z, p and s").AtLeast(2),
        SettingSpec.String("init", "normal", "initialisation of z's and p's tables: normal (N(0, init_std^2), the Foundation's, as the bpr-mf and lightgcn baselines) or xavier_uniform (U(+-sqrt(6 / (rows + d))) per table, the official code's nn.init.xavier_uniform_)"),
        SettingSpec.Float("init_std", 0.1, "std of the N(0, std^2) initialisation of z and p when init = normal").Positive(),
        SettingSpec.Float("reg_weight", 1e-3, "L2 on the batch's rows of z, reg * (|u|^2 + |i|^2 + |j|^2) / 2 / batch (FairMI: 1e-3); on the ego rows unless reg_on_final").AtLeast(0),
        SettingSpec.Bool("reg_on_final", false, "take the L2 on the final (for LightGCN the propagated) rows, as the official calc_bpr_loss, rather than on the ego rows as LightGCN's paper and the lightgcn baseline; the same for MF"),
        SettingSpec.Float("learning_rate", 1e-3, "Adam learning rate of z").Positive(),
        SettingSpec.Float("lower_weight", 0.1, "gamma: weight of the conditional InfoNCE lower bound of I(z; p | s), users plus items (subtracted)").AtLeast(0),
        SettingSpec.Float("upper_weight", 0.1, "beta: weight of the CLUB upper bound of I(z; s) on users, in FairMI's scale (half of CLUBSample's value)").AtLeast(0),
        SettingSpec.Bool("item_upper", false, "also minimise the item-side upper bound I(z_i; s_i) (the paper; the official code keeps users only)"),
        EstimatorSchedule.Setting("upper_schedule", "50/epoch", "when the CLUB network q(s|z) trains: FairMI fits it 50 Adam steps per epoch on the full detached embeddings"),
        SettingSpec.Float("estimator_learning_rate", 1e-3, "Adam learning rate of the CLUB network").Positive(),
        SettingSpec.String("sensitive_attribute", "", "user attribute the sensitive encoder learns (empty: the data set's sensitive attribute, e.g. gender; 'age' for MovieLens' age bucket)"),
        SettingSpec.Int("sensitive_epochs", 1000, "full-batch epochs of the sensitive encoder (SemiGCN) before it is frozen").AtLeast(0),
        SettingSpec.Float("sensitive_learning_rate", 1e-3, "Adam learning rate of the sensitive encoder").Positive(),
        SettingSpec.String("p_checkpoint", "", "the plain backbone p from an earlier run: a module .pt file or a bpr-mf/lightgcn/FairMI results folder (its best epoch); empty: train p in this run"),
        SettingSpec.Int("p_epochs", 500, "most epochs of the plain backbone p trained in this run before the main training (official baseline: 500)").AtLeast(0),
        SettingSpec.Int("p_patience", 10, "stop training p after this many epochs without a better validation ndcg@20; the best epoch's p is kept").AtLeast(1),
        SettingSpec.Float("p_reg_weight", 1e-3, "L2 weight of the plain backbone p (the official baseline's l2_reg, the same as z's)").AtLeast(0),
        SettingSpec.String("upper_on", "s", "what the CLUB upper bound pairs with z: s (the sensitive encoder's embedding, FairMI), standardised_s (s with every dimension at mean 0, variance 1 over the users or items: a diagnostic of s's scale) or label (the users' one-hot attribute; put club-categorical in the upper slot, components.upper=club-categorical; users only)"),
        SettingSpec.Int("attacker_every", 0, "every N epochs, train the logistic attacker on z's users (as the fairness analysis, same seed) and log its held-out AUC as attacker_auc in the epoch log (0: off; a diagnostic, not in the official code)").AtLeast(0),
    ];

    public static FairMiHyperParameters Read(SettingValues hyper)
    {
        var h = new FairMiHyperParameters(
            hyper.Int("embedding_size"), hyper.String("init").Trim().ToLowerInvariant(), hyper.Float("init_std"), hyper.Float("reg_weight"), hyper.Bool("reg_on_final"),
            hyper.Float("learning_rate"),
            hyper.Float("lower_weight"), hyper.Float("upper_weight"), hyper.Bool("item_upper"),
            EstimatorSchedule.Read(hyper, "upper_schedule"), hyper.Float("estimator_learning_rate"),
            hyper.String("sensitive_attribute"), hyper.Int("sensitive_epochs"), hyper.Float("sensitive_learning_rate"),
            hyper.Int("p_epochs"), hyper.Int("p_patience"), hyper.Float("p_reg_weight"), hyper.String("p_checkpoint"), hyper.Int("attacker_every"),
            hyper.String("upper_on").Trim().ToLowerInvariant());
        if (h.Init is not (NormalInit or XavierUniformInit))
            throw new ArgumentException($"hyper.init: '{hyper.String("init")}' is not known; expected {NormalInit} or {XavierUniformInit}");
        if (h.UpperOn is not (UpperOnS or UpperOnStandardisedS or UpperOnLabel))
            throw new ArgumentException($"hyper.upper_on: '{hyper.String("upper_on")}' is not known; expected {UpperOnS}, {UpperOnStandardisedS} or {UpperOnLabel}");
        if (h.UpperOn == UpperOnLabel && h.ItemUpperBound)
            throw new ArgumentException("hyper.upper_on: label pairs z with the users' attribute, which items do not have; expected item_upper = false with it");
        return h;
    }

    public const string UpperOnS = "s";
    public const string UpperOnStandardisedS = "standardised_s";
    public const string UpperOnLabel = "label";

    public const string NormalInit = "normal";
    public const string XavierUniformInit = "xavier_uniform";

    /// <summary>The attribute to learn: hyper.sensitive_attribute, else the data set's; an error lists the choices.</summary>
    public CategoricalAttribute Attribute(Dataset dataset)
    {
        var name = SensitiveAttribute.Length > 0 ? SensitiveAttribute : dataset.SensitiveAttribute;
        if (name is null)
            throw new ArgumentException(
                $"hyper.sensitive_attribute: data set '{dataset.Name}' has no sensitive attribute; name one of its user attributes: {Choices(dataset)}");
        if (!dataset.UserAttributes.TryGetValue(name, out var attribute))
            throw new ArgumentException($"hyper.sensitive_attribute: '{name}' is not a user attribute of data set '{dataset.Name}'; expected one of: {Choices(dataset)}");
        if (attribute.Levels.Length < 2)
            throw new ArgumentException($"hyper.sensitive_attribute: '{name}' has {attribute.Levels.Length} level(s); a sensitive attribute needs at least two");
        return attribute;
    }

    private static string Choices(Dataset dataset) =>
        dataset.UserAttributes.Count == 0 ? "(none)" : string.Join(", ", dataset.UserAttributes.Keys);
}
