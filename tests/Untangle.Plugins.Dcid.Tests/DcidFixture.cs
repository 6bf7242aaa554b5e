using Microsoft.Extensions.Logging.Abstractions;
using Untangle.Contracts.Components;
using Untangle.Contracts.Data;
using Untangle.Contracts.Settings;
using Untangle.Contracts.Training;
using Untangle.Plugins.Foundation;
using Untangle.Plugins.InfoBounds;
using static TorchSharp.torch;

namespace Untangle.Plugins.Dcid.Tests;

/// <summary>
/// A small data set with two modalities built from known factors: a 2-d shared factor in both
/// ("image" columns 0-1, "text" columns 0-1 in the other order), a 2-d specific factor in each, item
/// categories from the sign of the first shared factor, the truth in Extras, and users who interact
/// with items of one category. Build() makes the MethodContext the engine would, every slot filled by
/// its default component's factory (club-sample or orthogonality on request).
/// </summary>
public static class DcidFixture
{
    public const int Users = 8, Items = 40;

    public static (Dataset Dataset, Split Split) Data()
    {
        var random = new Random(11);
        double N() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        var shared = Enumerable.Range(0, Items).Select(_ => new[] { N(), N() }).ToArray();
        var imageSpecific = Enumerable.Range(0, Items).Select(_ => new[] { N(), N() }).ToArray();
        var textSpecific = Enumerable.Range(0, Items).Select(_ => new[] { N(), N() }).ToArray();
        var image = new float[Items * 4];
        var text = new float[Items * 5];
        for (int i = 0; i < Items; i++)
        {
            image[i * 4] = (float)shared[i][0]; image[i * 4 + 1] = (float)shared[i][1];
            image[i * 4 + 2] = (float)imageSpecific[i][0]; image[i * 4 + 3] = (float)imageSpecific[i][1];
            text[i * 5] = (float)shared[i][1]; text[i * 5 + 1] = (float)shared[i][0];
            text[i * 5 + 2] = (float)textSpecific[i][0]; text[i * 5 + 3] = (float)textSpecific[i][1]; text[i * 5 + 4] = 1f;
        }
        var category = shared.Select(s => s[0] > 0 ? 1 : 0).ToArray();
        var builder = new InteractionsBuilder(Users, Items);
        for (int u = 0; u < Users; u++)
        {
            var mine = Enumerable.Range(0, Items).Where(i => category[i] == u % 2).ToArray();
            for (int k = 0; k < 4; k++) builder.Add(u, mine[(u + 3 * k) % mine.Length]);
        }
        var train = builder.Build();
        var users = Enumerable.Range(0, Users).ToArray();
        var empty = new InteractionsBuilder(Users, Items).Build();
        var evaluation = new EvaluationSet { Name = "test", Users = users, DatasetUsers = users, Known = train, Targets = empty };
        var dataset = new Dataset
        {
            Name = "dcid-fixture",
            UserIds = users.Select(u => $"u{u}").ToArray(),
            ItemIds = Enumerable.Range(0, Items).Select(i => $"i{i}").ToArray(),
            Interactions = train,
            ItemCategories = new ItemCategories(["negative", "positive"], category.Select(c => new[] { c }).ToArray()),
            ItemFeatures = new Dictionary<string, FeatureMatrix>
            {
                ["image"] = new(Items, 4, image),
                ["text"] = new(Items, 5, text),
            },
            Extras = new Dictionary<string, object>
            {
                [ItemFactorTruth.ExtrasKey] = new ItemFactorTruth(shared, new Dictionary<string, double[][]> { ["image"] = imageSpecific, ["text"] = textSpecific }),
            },
        };
        var split = new Split
        {
            Protocol = "fixture", Train = train, Validation = evaluation, Test = evaluation,
            UserToDataset = users, ItemToDataset = Enumerable.Range(0, Items).ToArray(),
        };
        return (dataset, split);
    }

    public static Dictionary<string, string> SmallSizes() => new()
    {
        ["common_size"] = "4", ["specific_size"] = "3", ["hidden_size"] = "8", ["pretrain_epochs"] = "2",
        ["pretrain_batch_size"] = "16", ["codebook_size"] = "6", ["embedding_size"] = "8", ["club_schedule"] = "2/batch",
    };

    public static TrainingGraph Build(IReadOnlyDictionary<string, string>? hyper = null, string club = InfoBoundsPlugin.Club, (Dataset, Split)? data = null)
    {
        var (dataset, split) = data ?? Data();
        var method = new DcidMethod();
        var declaration = method.Declare();
        object Create(string slot, IReadOnlyDictionary<string, object> arguments) => slot switch
        {
            "club" => club switch
            {
                InfoBoundsPlugin.Club => SlotComponent.Make(new ClubFactory(), slot, new Dictionary<string, string> { ["hidden_size"] = "16" }, arguments),
                InfoBoundsPlugin.ClubSample => SlotComponent.Make(new ClubSampleFactory(), slot, new Dictionary<string, string> { ["hidden_size"] = "16" }, arguments),
                _ => SlotComponent.Make(new OrthogonalityFactory(), slot, null, arguments),
            },
            "contrast" => SlotComponent.Make(new InfoNceFactory(), slot, null, arguments),
            "graph" => SlotComponent.Make(new UserItemGraphFactory(), slot, null, arguments),
            "encoder" => SlotComponent.Make(new LightGcnEncoderFactory(), slot, new Dictionary<string, string> { ["layers"] = "2" }, arguments),
            _ => throw new InvalidOperationException($"no fixture factory for slot '{slot}'"),
        };
        var given = SmallSizes();
        foreach (var (k, v) in hyper ?? new Dictionary<string, string>()) given[k] = v;
        var context = MethodContexts.For(method, dataset, split, given, Create, batchesPerEpoch: 3,
            phases: Untangle.Host.Training.PhaseRunner.InMemory(NullLogger.Instance));
        return method.Build(context);
    }

    /// <summary>A triples batch: every user with a training positive and an item of the other category.</summary>
    public static TrainingBatch Batch(Split split)
    {
        var users = Enumerable.Range(0, Users).Select(u => (long)u).ToArray();
        var positives = users.Select(u => (long)split.Train.Row((int)u)[0]).ToArray();
        var negatives = users.Select(u => (long)Enumerable.Range(0, Items).First(i => !split.Train.Contains((int)u, i))).ToArray();
        return new TrainingBatch
        {
            Kind = BatchKind.Triples, Epoch = 1, Index = 0, GlobalBatch = 0, Device = CPU,
            Users = tensor(users), Positives = tensor(positives), Negatives = tensor(negatives),
        };
    }

    public static (Tensor Loss, Dictionary<string, double> Terms) Loss(TrainingGraph graph, string step, TrainingBatch batch)
    {
        var terms = new Dictionary<string, double>();
        var loss = graph.Steps.Single(s => s.Name == step).Loss(new StepContext(batch, (k, v) => terms[k] = v));
        return (loss, terms);
    }

    public static DcidModel Model(TrainingGraph graph) => (DcidModel)graph.Modules["representation"];

    public static void Dispose(TrainingGraph graph)
    {
        foreach (var m in graph.Modules.Values) m.Dispose();
    }

    /// <summary>The fixture's features in split order, as the method reads them.</summary>
    public static Tensor[] Features() => ItemModalities.Read(Data().Dataset, Data().Split, "", CPU).Features;

    /// <summary>Hyper-parameters as the method reads them, with the small sizes and <paramref name="given"/>.</summary>
    public static DcidHyperParameters Hyper(IReadOnlyDictionary<string, string>? given = null)
    {
        var all = SmallSizes();
        foreach (var (k, v) in given ?? new Dictionary<string, string>()) all[k] = v;
        return DcidHyperParameters.Read(SettingValues.Resolve("hyper", DcidHyperParameters.Specs, all));
    }
}
