using Untangle.Contracts.Settings;

namespace Untangle.Plugins.Foundation;

/// <summary>
/// The hyper-parameters BPR-MF and LightGCN share, with the weak-generalization defaults of
/// LightGCN's paper and reference code (He et al., SIGIR 2020, sec. 4.1: embedding size 64,
/// Adam with learning rate 1e-3, L2 1e-4, N(0, 0.1²) initialisation). The batch size (2048 there)
/// is the run's train.batch_size, not a method setting.
/// </summary>
public sealed record EmbeddingHyperParameters(int EmbeddingSize, double InitStd, double RegWeight, double LearningRate)
{
    public static IReadOnlyList<SettingSpec> Specs { get; } =
    [
        SettingSpec.Int("embedding_size", 64, "dimension d of the user and item embeddings"),
        SettingSpec.Float("init_std", 0.1, "standard deviation of the N(0, std^2) embedding initialisation"),
        SettingSpec.Float("reg_weight", 1e-4, "L2 weight on the batch's ego embeddings, reg * (|u|^2 + |i|^2 + |j|^2) / 2 / batch"),
        SettingSpec.Float("learning_rate", 1e-3, "Adam learning rate"),
    ];

    /// <summary>Reads and checks the values; a bad one fails with its key, its value and what is expected.</summary>
    public static EmbeddingHyperParameters Read(SettingValues hyper)
    {
        var result = new EmbeddingHyperParameters(
            hyper.Int("embedding_size"), hyper.Float("init_std"), hyper.Float("reg_weight"), hyper.Float("learning_rate"));
        Require(result.EmbeddingSize > 0, "embedding_size", result.EmbeddingSize, "a positive integer");
        Require(result.InitStd > 0, "init_std", result.InitStd, "a positive number");
        Require(result.RegWeight >= 0, "reg_weight", result.RegWeight, "a number >= 0");
        Require(result.LearningRate > 0, "learning_rate", result.LearningRate, "a positive number");
        return result;
    }

    private static void Require(bool ok, string name, object value, string expected)
    {
        if (!ok) throw new ArgumentException($"hyper.{name}: '{SettingSpec.Format(value)}' is not valid; expected {expected}");
    }
}
