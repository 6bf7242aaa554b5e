using Untangle.Contracts.Components;
using Untangle.Contracts.Data;
using Untangle.Contracts.Training;
using Untangle.Plugins.Foundation;
using Untangle.Plugins.Foundation.Tests;
using static TorchSharp.torch;

namespace Untangle.Plugins.DisenGraph.Tests;

/// <summary>
/// DGCF built the way the host builds it (its slots filled by the DisenGraph and Foundation
/// factories), trained by the engine stand-in on three clusters of users and items.
/// </summary>
public class DgcfTests
{
    private static readonly Dictionary<string, string> Hyper = new()
    {
        ["embedding_size"] = "12",
        ["learning_rate"] = "0.01",
    };

    private static MethodContext Context(Dataset dataset, Split split, string encoder, int seed = 7,
        IReadOnlyDictionary<string, string>? hyper = null)
    {
        var method = new DgcfMethod();
        object Create(string slot, IReadOnlyDictionary<string, object> arguments) => slot switch
        {
            "graph" => SlotComponent.Make(new UserItemGraphFactory(), slot, null, arguments),
            _ => encoder switch
            {
                DisenGraphPlugin.IntentRouting => SlotComponent.Make(new IntentRoutingEncoderFactory(), slot,
                    new Dictionary<string, string> { ["intents"] = "3" }, arguments),
                DisenGraphPlugin.DisenRouting => SlotComponent.Make(new DisenRoutingEncoderFactory(), slot,
                    new Dictionary<string, string> { ["channels"] = "3", ["iterations"] = "3" }, arguments),
                _ => SlotComponent.Make(new LightGcnEncoderFactory(), slot, null, arguments),
            },
        };
        return MethodContexts.For(method, dataset, split, hyper ?? Hyper, Create, seed, batchSize: 64);
    }

    private static (Dataset Dataset, Split Split, ClusteredData Data) Clusters()
    {
        var data = ClusteredData.Generate();
        var (dataset, split) = Fixtures.DataAndSplit(data.Train, data.HeldOutRows);
        var categorised = new Dataset
        {
            Name = dataset.Name,
            UserIds = dataset.UserIds,
            ItemIds = dataset.ItemIds,
            Interactions = dataset.Interactions,
            ItemCategories = new ItemCategories(["a", "b", "c"], data.ClusterOfItem.Select(c => new[] { c }).ToArray()),
        };
        return (categorised, split, data);
    }

    [Theory]
    [InlineData(DisenGraphPlugin.IntentRouting)]
    [InlineData(DisenGraphPlugin.DisenRouting)]
    public void Dgcf_learns_the_clusters_and_records_its_independence_term(string encoder)
    {
        var (dataset, split, data) = Clusters();
        var graph = new DgcfMethod().Build(Context(dataset, split, encoder));
        using var engine = new EngineStandIn(graph, data.Train, seed: 3);
        var users = Enumerable.Range(0, data.Train.Rows).ToArray();
        var terms = new List<string>();
        using (var scope = NewDisposeScope())
        {
            var batch = new TrainingBatch
            {
                Kind = BatchKind.Triples, Epoch = 0, Index = 0, GlobalBatch = 0, Device = CPU,
                Users = tensor(new long[] { 0, 1 }), Positives = tensor(new long[] { 1, 2 }), Negatives = tensor(new long[] { 20, 25 }),
            };
            graph.Steps.Single().Loss(new StepContext(batch, (term, _) => terms.Add(term)));
        }

        var losses = engine.Train(epochs: 100, batchSize: 64);
        double after = data.HeldOutWinRate(engine.Score(users));

        terms.Should().Equal("bpr", "l2", "cor");
        losses[^5..].Average().Should().BeLessThan(0.7 * losses[..5].Average());
        after.Should().BeGreaterThan(0.85, "the held-out item is from the user's cluster");
    }

    [Fact]
    public void The_intents_analysis_reads_each_training_edges_dominant_intent()
    {
        var (dataset, split, data) = Clusters();
        var graph = new DgcfMethod().Build(Context(dataset, split, DisenGraphPlugin.IntentRouting));
        using (var engine = new EngineStandIn(graph, data.Train, seed: 3))
            engine.Train(epochs: 20, batchSize: 64);

        IReadOnlyDictionary<string, double> values;
        using (no_grad())
            values = graph.Analyses.Single(a => a.Name == DisenGraphPlugin.IntentsAnalysis).Compute();

        values["edges_measured"].Should().Be(data.Train.Count, "every training interaction is one user-side edge");
        values["intents"].Should().Be(3);
        values["categories"].Should().Be(3);
        values["nmi"].Should().BeInRange(0, 1);
        values.Should().ContainKeys("ari", "random_nmi", "random_ari", "intents_used", "item_nmi", "item_ari", "item_random_nmi");
        values["item_nmi"].Should().BeInRange(0, 1);
    }

    [Fact]
    public void A_saved_model_scores_the_same_after_loading_into_a_fresh_build()
    {
        var (dataset, split, data) = Clusters();
        var trained = new DgcfMethod().Build(Context(dataset, split, DisenGraphPlugin.IntentRouting));
        using (var engine = new EngineStandIn(trained, data.Train, seed: 3))
            engine.Train(epochs: 5, batchSize: 64);
        var checkpoint = Fixtures.Checkpoint(trained.Modules["model"]);
        var users = Enumerable.Range(0, data.Train.Rows).ToArray();

        var fresh = new DgcfMethod().Build(Context(dataset, split, DisenGraphPlugin.IntentRouting, seed: 99));
        using var before = new EngineStandIn(fresh, data.Train, seed: 3);
        var untrained = before.Score(users);
        Fixtures.Restore(fresh.Modules["model"], checkpoint);
        fresh.Systems.Single().Run(new StageContext { Epoch = 0, BatchIndex = 0, GlobalBatch = 0, Device = CPU });

        using var original = new EngineStandIn(trained, data.Train, seed: 3);
        var expected = original.Score(users);
        var restored = before.Score(users);
        restored.Should().BeEquivalentTo(expected, o => o.WithStrictOrdering());
        restored.Should().NotBeEquivalentTo(untrained, o => o.WithStrictOrdering());
    }

    [Fact]
    public void An_encoder_without_channels_is_refused_with_the_slot_and_the_choices()
    {
        var (dataset, split, _) = Clusters();

        FluentActions.Invoking(() => new DgcfMethod().Build(Context(dataset, split, FoundationPlugin.LightGcnEncoder)))
            .Should().Throw<ArgumentException>()
            .WithMessage("components.encoder: * has no channels; dgcf needs a routing encoder (intent-routing or disen-routing)");
    }

    [Fact]
    public void Xavier_uniform_tables_stay_within_the_glorot_limit_of_each_table()
    {
        using var ego = UserItemEmbeddings.XavierUniform(900, 100, 64, new Random(1), CPU);
        double userLimit = Math.Sqrt(6.0 / (900 + 64)), itemLimit = Math.Sqrt(6.0 / (100 + 64));

        ego.UserTable.abs().max().item<float>().Should().BeLessThanOrEqualTo((float)userLimit);
        ego.ItemTable.abs().max().item<float>().Should().BeLessThanOrEqualTo((float)itemLimit);
        ego.ItemTable.abs().max().item<float>().Should().BeGreaterThan((float)(0.9 * itemLimit), "uniform draws fill the interval");
    }
}
