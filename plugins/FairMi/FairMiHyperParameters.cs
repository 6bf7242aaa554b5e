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
    int EmbeddingSize, double InitStd, double RegWeight, double LearningRate,
    double LowerWeight, double UpperWeight, bool ItemUpperBound, EstimatorSchedule UpperSchedule, double EstimatorLearningRate,
    string SensitiveAttribute, int SensitiveEpochs, double SensitiveLearningRate,
    int PreferenceEpochs, int PreferencePatience, double PreferenceRegWeight, string PreferenceCheckpoint)
{
    public static IReadOnlyList<SettingSpec> Specs { get; } =
    [
        SettingSpec.Int("embedding_size", 64, "dimension d of z, p and s"),
        SettingSpec.Float("init_std", 0.1, "std of the N(0, std^2) initialisation of z and p (the Foundation's; the official code uses Xavier)"),
        SettingSpec.Float("reg_weight", 1e-3, "L2 on the batch's ego embeddings of z, reg * (|u|^2 + |i|^2 + |j|^2) / 2 / batch (FairMI: 1e-3)"),
        SettingSpec.Float("learning_rate", 1e-3, "Adam learning rate of z"),
        SettingSpec.Float("lower_weight", 0.1, "gamma: weight of the conditional InfoNCE lower bound of I(z; p | s), users plus items (subtracted)"),
        SettingSpec.Float("upper_weight", 0.1, "beta: weight of the CLUB upper bound of I(z; s) on users, in FairMI's scale (half of CLUBSample's value)"),
        SettingSpec.Bool("item_upper", false, "also minimise the item-side upper bound I(z_i; s_i) (the paper; the official code keeps users only)"),
        EstimatorSchedule.Setting("upper_schedule", "50/epoch", "when the CLUB network q(s|z) trains: FairMI fits it 50 Adam steps per epoch on the full detached embeddings"),
        SettingSpec.Float("estimator_learning_rate", 1e-3, "Adam learning rate of the CLUB network"),
        SettingSpec.String("sensitive_attribute", "", "user attribute the sensitive encoder learns (empty: the data set's sensitive attribute, e.g. gender; 'age' for MovieLens' age bucket)"),
        SettingSpec.Int("sensitive_epochs", 1000, "full-batch epochs of the sensitive encoder (SemiGCN) before it is frozen"),
        SettingSpec.Float("sensitive_learning_rate", 1e-3, "Adam learning rate of the sensitive encoder"),
        SettingSpec.String("p_checkpoint", "", "the plain backbone p from an earlier run: a module .pt file or a bpr-mf/lightgcn/FairMI results folder (its best epoch); empty: train p in this run"),
        SettingSpec.Int("p_epochs", 500, "most epochs of the plain backbone p trained in this run before the main training (official baseline: 500)"),
        SettingSpec.Int("p_patience", 10, "stop training p after this many epochs without a better validation ndcg@20; the best epoch's p is kept"),
        SettingSpec.Float("p_reg_weight", 1e-3, "L2 weight of the plain backbone p (the official baseline's l2_reg, the same as z's)"),
    ];

    public static FairMiHyperParameters Read(SettingValues hyper)
    {
        var h = new FairMiHyperParameters(
            hyper.Int("embedding_size"), hyper.Float("init_std"), hyper.Float("reg_weight"), hyper.Float("learning_rate"),
            hyper.Float("lower_weight"), hyper.Float("upper_weight"), hyper.Bool("item_upper"),
            EstimatorSchedule.Read(hyper, "upper_schedule"), hyper.Float("estimator_learning_rate"),
            hyper.String("sensitive_attribute"), hyper.Int("sensitive_epochs"), hyper.Float("sensitive_learning_rate"),
            hyper.Int("p_epochs"), hyper.Int("p_patience"), hyper.Float("p_reg_weight"), hyper.String("p_checkpoint"));
        Require(h.EmbeddingSize >= 2, "embedding_size", h.EmbeddingSize, "an integer >= 2 (the condition groups need a correlation)");
        Require(h.InitStd > 0, "init_std", h.InitStd, "a positive number");
        Require(h.RegWeight >= 0, "reg_weight", h.RegWeight, "a number >= 0");
        Require(h.LearningRate > 0, "learning_rate", h.LearningRate, "a positive number");
        Require(h.LowerWeight >= 0, "lower_weight", h.LowerWeight, "a number >= 0");
        Require(h.UpperWeight >= 0, "upper_weight", h.UpperWeight, "a number >= 0");
        Require(h.EstimatorLearningRate > 0, "estimator_learning_rate", h.EstimatorLearningRate, "a positive number");
        Require(h.SensitiveEpochs >= 0, "sensitive_epochs", h.SensitiveEpochs, "an integer >= 0");
        Require(h.SensitiveLearningRate > 0, "sensitive_learning_rate", h.SensitiveLearningRate, "a positive number");
        Require(h.PreferenceEpochs >= 0, "p_epochs", h.PreferenceEpochs, "an integer >= 0");
        Require(h.PreferencePatience >= 1, "p_patience", h.PreferencePatience, "an integer >= 1");
        Require(h.PreferenceRegWeight >= 0, "p_reg_weight", h.PreferenceRegWeight, "a number >= 0");
        return h;
    }

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

    private static void Require(bool ok, string name, object value, string expected)
    {
        if (!ok) throw new ArgumentException($"hyper.{name}: '{SettingSpec.Format(value)}' is not valid; expected {expected}");
    }
}
