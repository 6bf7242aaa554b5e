using static TorchSharp.torch;

namespace Untangle.Plugins.Foundation.Tests;

/// <summary>LightGCN's cached scoring tables must never outlive the parameters they came from.</summary>
public class LightGcnScoringTests
{
    private static readonly Dictionary<string, string> Hyper = new() { ["embedding_size"] = "8", ["learning_rate"] = "0.05" };

    [Fact]
    public void Cached_tables_are_dropped_after_each_batch_and_when_a_checkpoint_is_restored()
    {
        var data = ClusteredData.Generate();
        var method = new LightGcnMethod();
        var (dataset, split) = Fixtures.DataAndSplit(data.Train, data.HeldOutRows);
        var graph = method.Build(Fixtures.Context(method, dataset, split, hyper: Hyper));
        var model = (LightGcnModel)graph.Modules["model"];
        foreach (var module in graph.Modules.Values) module.eval();
        var initial = ScoreDirectly(graph, data);
        var checkpoint = Fixtures.Checkpoint(model);

        // What an optimizer step does: change the parameters in place.
        using (no_grad()) model.Ego.UserTable.add_(0.5);
        ScoreDirectly(graph, data).Should().BeEquivalentTo(initial, "the tables are cached until something drops them");

        foreach (var system in graph.Systems.Where(s => s.Stage == Untangle.Contracts.Training.Stage.AfterBatch))
            system.Run(new Untangle.Contracts.Training.StageContext { Epoch = 0, BatchIndex = 0, GlobalBatch = 0, Device = CPU });
        var changed = ScoreDirectly(graph, data);
        changed[0][0].Should().NotBe(initial[0][0], "the AfterBatch system drops the stale tables");

        Fixtures.Restore(model, checkpoint);
        ScoreDirectly(graph, data).Should().BeEquivalentTo(initial, "loading a checkpoint drops them too");
    }

    [Fact]
    public void Scores_change_with_training_through_the_engine()
    {
        var data = ClusteredData.Generate();
        var method = new LightGcnMethod();
        var (dataset, split) = Fixtures.DataAndSplit(data.Train, data.HeldOutRows);
        var graph = method.Build(Fixtures.Context(method, dataset, split, hyper: Hyper));
        using var engine = new EngineStandIn(graph, data.Train, seed: 5);
        int[] users = [0, 13, 30];

        var initial = engine.Score(users);
        engine.Train(epochs: 1, batchSize: 64);

        engine.Score(users)[0][0].Should().NotBe(initial[0][0]);
    }

    private static float[][] ScoreDirectly(Untangle.Contracts.Training.TrainingGraph graph, ClusteredData data)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        return Fixtures.Rows(graph.Scorer.Score(new Untangle.Contracts.Training.ScoringBatch
        {
            Users = tensor(new long[] { 0, 13, 30 }),
            Known = data.Train.SelectRows([0, 13, 30]),
            Device = CPU,
        }));
    }

    [Fact]
    public void The_scorer_reads_the_final_embeddings_of_the_batch_users()
    {
        var data = ClusteredData.Generate();
        var method = new LightGcnMethod();
        var (dataset, split) = Fixtures.DataAndSplit(data.Train, data.HeldOutRows);
        var graph = method.Build(Fixtures.Context(method, dataset, split, hyper: Hyper));
        var model = (LightGcnModel)graph.Modules["model"];
        using var engine = new EngineStandIn(graph, data.Train, seed: 5);

        var scores = engine.Score([4, 20]);

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var (allUsers, allItems) = model.Propagate();
        var expected = Fixtures.Rows(allUsers.index_select(0, tensor(new long[] { 4, 20 })).mm(allItems.t()));
        for (int r = 0; r < 2; r++)
            scores[r].Should().Equal(expected[r], (a, e) => Math.Abs(a - e) < 1e-5f);
    }

    [Fact]
    public void Built_inside_a_dispose_scope_it_keeps_its_graph_and_parameters()
    {
        var data = ClusteredData.Generate();
        var method = new LightGcnMethod();
        var (dataset, split) = Fixtures.DataAndSplit(data.Train, data.HeldOutRows);
        Untangle.Contracts.Training.TrainingGraph graph;
        using (NewDisposeScope())
            graph = method.Build(Fixtures.Context(method, dataset, split, hyper: Hyper));
        using var engine = new EngineStandIn(graph, data.Train, seed: 5);

        var losses = engine.Train(epochs: 1, batchSize: 64);

        losses.Should().OnlyContain(l => double.IsFinite(l));
        engine.Score([0]).Single().Should().HaveCount(data.Train.ColumnCount);
    }

    [Fact]
    public void Held_out_users_are_refused_with_a_message_naming_the_method()
    {
        var data = ClusteredData.Generate();
        var method = new LightGcnMethod();
        var (dataset, split) = Fixtures.DataAndSplit(data.Train, data.HeldOutRows);
        var graph = method.Build(Fixtures.Context(method, dataset, split, hyper: Hyper));
        using var scope = NewDisposeScope();

        var act = () => graph.Scorer.Score(new Untangle.Contracts.Training.ScoringBatch
        {
            Users = tensor(new long[] { 0, -1 }),
            Known = data.Train.SelectRows([0, 0]),
            Device = CPU,
        });

        act.Should().Throw<InvalidOperationException>().WithMessage("lightgcn scores only users it trained on*");
    }
}
