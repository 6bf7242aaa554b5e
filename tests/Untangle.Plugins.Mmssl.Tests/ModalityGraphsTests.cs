using static TorchSharp.torch;

namespace Untangle.Plugins.Mmssl.Tests;

public class ModalityGraphsTests
{
    private static float[][] Dense(Tensor sparse)
    {
        var d = sparse.to_dense().contiguous();
        var flat = d.data<float>().ToArray();
        int cols = (int)d.shape[1];
        return Enumerable.Range(0, (int)d.shape[0]).Select(r => flat.AsSpan(r * cols, cols).ToArray()).ToArray();
    }

    [Fact]
    public void Every_user_has_exactly_k_neighbours_and_the_graphs_exist_from_the_start()
    {
        random.manual_seed(1);
        var graph = MmsslFixture.Build(new Dictionary<string, string> { ["topk"] = "3" });
        var model = MmsslFixture.Model(graph);

        model.Graphs.Builds.Should().Be(1);
        for (int m = 0; m < 2; m++)
        {
            var users = Dense(model.Graphs.UserSide(m));
            users.Should().HaveCount(MmsslFixture.Users);
            users.Should().AllSatisfy(row =>
            {
                row.Count(v => v != 0).Should().Be(3);
                row.Where(v => v != 0).Should().AllSatisfy(v => v.Should().BeApproximately(1f / 3, 1e-6f));
            });
            // Item side: each item chosen by anyone averages its choosers (rows sum to 1), others are empty.
            var items = Dense(model.Graphs.ItemSide(m));
            items.Should().AllSatisfy(row => row.Sum().Should().BeOneOf(0f, 1f));
            items.Sum(row => row.Count(v => v != 0)).Should().Be(3 * MmsslFixture.Users);
        }
        MmsslFixture.Dispose(graph);
    }

    [Fact]
    public void The_rebuild_system_runs_every_T_batches_and_follows_the_projections()
    {
        random.manual_seed(2);
        var graph = MmsslFixture.Build(new Dictionary<string, string> { ["rebuild_every"] = "5", ["topk"] = "2" });
        var model = MmsslFixture.Model(graph);
        var system = graph.Systems.Single(s => s.Name == "mmssl-rebuild-modality-graphs");
        system.EveryNBatches.Should().Be(5);
        var before = Dense(model.Graphs.UserSide(0));

        using (no_grad())
            foreach (var p in model.Generator.parameters()) p.copy_(randn_like(p));
        system.Run(new Untangle.Contracts.Training.StageContext { Epoch = 1, BatchIndex = 4, GlobalBatch = 5, Device = CPU });

        model.Graphs.Builds.Should().Be(2);
        var after = Dense(model.Graphs.UserSide(0));
        after.Should().AllSatisfy(row => row.Count(v => v != 0).Should().Be(2));
        after.SelectMany(r => r).Should().NotEqual(before.SelectMany(r => r));
        MmsslFixture.Dispose(graph);
    }

    [Fact]
    public void A_top_k_of_zero_is_refused()
    {
        var act = () => MmsslFixture.Build(new Dictionary<string, string> { ["topk"] = "0" });

        act.Should().Throw<FormatException>().WithMessage("hyper.topk: 0 is out of range; expected an integer >= 1");
    }
}

public class ModalityGraphStateTests
{
    private static float[] Flat(Tensor sparse) => sparse.to_dense().contiguous().data<float>().ToArray();

    [Fact]
    public void The_graphs_are_checkpointed_state_and_a_restore_brings_back_the_saved_ones()
    {
        random.manual_seed(4);
        var graph = MmsslFixture.Build(new Dictionary<string, string> { ["topk"] = "2" });
        var model = MmsslFixture.Model(graph);
        var state = graph.States.Single(s => s.Name == "mmssl-modality-graphs");
        var saved = state.Save();
        var users = Flat(model.Graphs.UserSide(1));
        var items = Flat(model.Graphs.ItemSide(1));

        using (no_grad())
            foreach (var p in model.Generator.parameters()) p.copy_(randn_like(p));
        model.RebuildGraphs();
        Flat(model.Graphs.UserSide(1)).Should().NotEqual(users);

        state.Restore(saved);

        Flat(model.Graphs.UserSide(1)).Should().Equal(users);
        Flat(model.Graphs.ItemSide(1)).Should().Equal(items);
        model.Graphs.Builds.Should().Be(1);
        MmsslFixture.Dispose(graph);
    }

    [Fact]
    public void A_state_for_another_number_of_modalities_is_refused()
    {
        random.manual_seed(5);
        var graph = MmsslFixture.Build(new Dictionary<string, string> { ["topk"] = "2" });
        var saved = MmsslFixture.Model(graph).Graphs.Save();
        var other = new ModalityGraphs(3, 2);

        var act = () => other.Restore(saved);

        act.Should().Throw<FormatException>().WithMessage("*2 modalities, this model 3*");
        other.Dispose();
        MmsslFixture.Dispose(graph);
    }

    [Fact]
    public void Without_modality_graphs_there_is_no_graph_state_and_the_epoch_end_rebuild_is_declared_with_them()
    {
        var without = MmsslFixture.Build(new Dictionary<string, string> { ["use_modality_graphs"] = "false" });
        without.States.Should().BeEmpty();
        MmsslFixture.Dispose(without);

        var with = MmsslFixture.Build();
        with.Systems.Should().Contain(s => s.Name == "mmssl-rebuild-modality-graphs-at-epoch-end" && s.Stage == Untangle.Contracts.Training.Stage.AfterEpoch);
        MmsslFixture.Dispose(with);
    }
}
