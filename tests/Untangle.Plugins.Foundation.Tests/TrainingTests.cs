using Untangle.Contracts.Components;

namespace Untangle.Plugins.Foundation.Tests;

/// <summary>
/// A few hundred optimisation steps on <see cref="ClusteredData"/> through <see cref="EngineStandIn"/>:
/// the loss falls and each user's held-out item outranks unseen items far more often than chance.
/// </summary>
public class TrainingTests
{
    // Small and fast: d = 16 and a larger step than the paper's 1e-3 so 300 steps are enough.
    private static readonly Dictionary<string, string> Hyper = new()
    {
        ["embedding_size"] = "16",
        ["learning_rate"] = "0.01",
    };

    [Fact]
    public void Bpr_mf_learns_the_clusters() => LearnsTheClusters(new BprMfMethod());

    [Fact]
    public void LightGcn_learns_the_clusters() => LearnsTheClusters(new LightGcnMethod());

    [Fact]
    public void MostPopular_does_not_learn_the_clusters()
    {
        var data = ClusteredData.Generate();
        var method = new MostPopularMethod();
        var (dataset, split) = Fixtures.DataAndSplit(data.Train, data.HeldOutRows);
        var graph = method.Build(Fixtures.Context(method, dataset, split));
        using var engine = new EngineStandIn(graph, data.Train, seed: 3);

        var winRate = data.HeldOutWinRate(engine.Score(Enumerable.Range(0, data.Train.Rows).ToArray()));

        winRate.Should().BeLessThan(0.7, "popularity ignores which cluster a user is in");
    }

    private static void LearnsTheClusters(IMethod method)
    {
        var data = ClusteredData.Generate();
        var (dataset, split) = Fixtures.DataAndSplit(data.Train, data.HeldOutRows);
        var graph = method.Build(Fixtures.Context(method, dataset, split, hyper: Hyper));
        using var engine = new EngineStandIn(graph, data.Train, seed: 3);
        var users = Enumerable.Range(0, data.Train.Rows).ToArray();
        double before = data.HeldOutWinRate(engine.Score(users));

        var losses = engine.Train(epochs: 100, batchSize: 64); // 180 pairs: 3 steps an epoch, 300 in all
        double after = data.HeldOutWinRate(engine.Score(users));

        losses[^5..].Average().Should().BeLessThan(0.5 * losses[..5].Average(), "the BPR loss falls as the model fits");
        after.Should().BeGreaterThan(0.85, $"the held-out item is from the user's cluster (before training: {before:F2})");
    }
}
