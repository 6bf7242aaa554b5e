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
        SettingSpec.Int("embedding_size", 64, "dimension d of the user and item embeddings").Positive(),
        SettingSpec.Float("init_std", 0.1, "standard deviation of the N(0, std^2) embedding initialisation").Positive(),
        SettingSpec.Float("reg_weight", 1e-4, "L2 weight on the batch's ego embeddings, reg * (|u|^2 + |i|^2 + |j|^2) / 2 / batch").AtLeast(0),
        SettingSpec.Float("learning_rate", 1e-3, "Adam learning rate").Positive(),
    ];

    /// <summary>Reads the values; their ranges are declared on the specs and checked by the resolver.</summary>
    public static EmbeddingHyperParameters Read(SettingValues hyper)
    {
        var result = new EmbeddingHyperParameters(
            hyper.Int("embedding_size"), hyper.Float("init_std"), hyper.Float("reg_weight"), hyper.Float("learning_rate"));
        return result;
    }
}
