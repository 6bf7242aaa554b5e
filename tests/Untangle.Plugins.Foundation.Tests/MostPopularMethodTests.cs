using static TorchSharp.torch;

namespace Untangle.Plugins.Foundation.Tests;

public class MostPopularMethodTests
{
    // i2 has 3 users, i0 2, i3 1, i1 none.
    private static readonly Untangle.Contracts.Data.Interactions Train = Fixtures.Matrix(4, [0, 2], [2, 3], [0, 2]);

    [Fact]
    public void Scores_are_the_training_counts_for_every_user_and_rank_popular_items_first()
    {
        var method = new MostPopularMethod();
        var (dataset, split) = Fixtures.DataAndSplit(Train);
        var graph = method.Build(Fixtures.Context(method, dataset, split));
        using var engine = new EngineStandIn(graph, Train, seed: 1);

        graph.Steps.Should().BeEmpty("nothing is optimised");
        var scores = engine.Score([0, 2, 1]);

        foreach (var row in scores) row.Should().Equal(2f, 0f, 3f, 1f);
        var ranking = Enumerable.Range(0, 4).OrderByDescending(i => scores[0][i]).ToArray();
        ranking.Should().Equal(2, 0, 3, 1);
    }

    [Fact]
    public void Scores_are_a_fresh_tensor_the_engine_may_mask_in_place()
    {
        var method = new MostPopularMethod();
        var (dataset, split) = Fixtures.DataAndSplit(Train);
        var graph = method.Build(Fixtures.Context(method, dataset, split));
        using var scope = NewDisposeScope();
        var batch = new Untangle.Contracts.Training.ScoringBatch { Users = tensor(new long[] { 0, 1 }), Known = Train.SelectRows([0, 1]), Device = CPU };

        graph.Scorer.Score(batch).fill_(float.NegativeInfinity);

        Fixtures.Rows(graph.Scorer.Score(batch))[1].Should().Equal(2f, 0f, 3f, 1f);
    }

    [Fact]
    public void The_popularity_is_checkpointed_with_its_module()
    {
        var method = new MostPopularMethod();
        var (dataset, split) = Fixtures.DataAndSplit(Train);
        var trained = method.Build(Fixtures.Context(method, dataset, split)).Modules["popularity"];
        var (_, emptySplit) = Fixtures.DataAndSplit(Fixtures.Matrix(4, [], [], []));
        var restored = (ItemPopularity)method.Build(Fixtures.Context(method, dataset, emptySplit)).Modules["popularity"];

        Fixtures.Restore(restored, Fixtures.Checkpoint(trained));

        restored.state_dict().Keys.Should().Equal("counts");
        restored.Counts.data<float>().ToArray().Should().Equal(2f, 0f, 3f, 1f);
    }
}
