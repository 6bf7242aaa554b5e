using Microsoft.Extensions.Logging.Abstractions;
using Untangle.Contracts.Components;
using Untangle.Contracts.Data;
using Untangle.Contracts.Settings;
using Untangle.Contracts.Training;
using Untangle.Plugins.Foundation;
using Untangle.Plugins.InfoBounds;
using static TorchSharp.torch;

namespace Untangle.Plugins.Mmssl.Tests;

/// <summary>
/// A small data set with two modalities whose features carry each item's group (items 0-5 group 0,
/// 6-11 group 1), users who interact within a group, and the MethodContext the engine would build
/// with every slot filled by its default component's factory.
/// </summary>
public static class MmsslFixture
{
    public const int Users = 8, Items = 12;

    public static (Dataset Dataset, Split Split) Data()
    {
        var builder = new InteractionsBuilder(Users, Items);
        for (int u = 0; u < Users; u++)
        {
            int group = u % 2 * 6;
            for (int k = 0; k < 3; k++) builder.Add(u, group + (u + k) % 6);
        }
        var train = builder.Build();
        var image = new float[Items * 4];
        var text = new float[Items * 3];
        for (int i = 0; i < Items; i++)
        {
            image[i * 4 + (i < 6 ? 0 : 1)] = 1f;
            image[i * 4 + 2] = i * 0.1f;
            text[i * 3 + (i < 6 ? 0 : 1)] = 1f;
            text[i * 3 + 2] = (Items - i) * 0.1f;
        }
        var users = Enumerable.Range(0, Users).ToArray();
        var empty = new InteractionsBuilder(Users, Items).Build();
        var evaluation = new EvaluationSet { Name = "test", Users = users, DatasetUsers = users, Known = train, Targets = empty };
        var dataset = new Dataset
        {
            Name = "mm-fixture",
            UserIds = users.Select(u => $"u{u}").ToArray(),
            ItemIds = Enumerable.Range(0, Items).Select(i => $"i{i}").ToArray(),
            Interactions = train,
            ItemFeatures = new Dictionary<string, FeatureMatrix>
            {
                ["image"] = new(Items, 4, image),
                ["text"] = new(Items, 3, text),
            },
        };
        var split = new Split
        {
            Protocol = "fixture", Train = train, Validation = evaluation, Test = evaluation,
            UserToDataset = users, ItemToDataset = Enumerable.Range(0, Items).ToArray(),
        };
        return (dataset, split);
    }

    /// <summary>The method's graph built on <see cref="Data"/>; the critic gets small widths for I = 12.</summary>
    public static TrainingGraph Build(IReadOnlyDictionary<string, string>? hyper = null, IReadOnlyDictionary<string, string>? critic = null)
    {
        var (dataset, split) = Data();
        var method = new MmsslMethod();
        var declaration = method.Declare();
        var criticSettings = new Dictionary<string, string> { ["widths"] = "[8,4]" };
        foreach (var (k, v) in critic ?? new Dictionary<string, string>()) criticSettings[k] = v;
        object Create(string slot, IReadOnlyDictionary<string, object> arguments) => slot switch
        {
            "graph" => SlotComponent.Make(new UserItemGraphFactory(), slot, null, arguments),
            "encoder" => SlotComponent.Make(new LightGcnEncoderFactory(), slot, new Dictionary<string, string> { ["layers"] = "2" }, arguments),
            "critic" => SlotComponent.Make(new WganGpFactory(), slot, criticSettings, arguments),
            "contrast" => SlotComponent.Make(new InfoNceFactory(), slot, new Dictionary<string, string> { ["intra_view"] = "true" }, arguments),
            _ => throw new InvalidOperationException($"no fixture factory for slot '{slot}'"),
        };
        var defaults = new Dictionary<string, string> { ["embedding_size"] = "8", ["heads"] = "2", ["topk"] = "3" };
        foreach (var (k, v) in hyper ?? new Dictionary<string, string>()) defaults[k] = v;
        var context = MethodContexts.For(method, dataset, split, defaults, Create, batchesPerEpoch: 3);
        return method.Build(context);
    }

    /// <summary>A triples batch: users 0..7 with a training positive and an unseen negative each.</summary>
    public static TrainingBatch Batch(long globalBatch = 0)
    {
        long[] users = [0, 1, 2, 3, 4, 5, 6, 7];
        long[] positives = users.Select(u => (long)(u % 2 * 6 + u % 6)).ToArray();
        long[] negatives = users.Select(u => (long)((1 - u % 2) * 6 + 1)).ToArray();
        return new TrainingBatch
        {
            Kind = BatchKind.Triples, Epoch = 1, Index = 0, GlobalBatch = globalBatch, Device = CPU,
            Users = tensor(users), Positives = tensor(positives), Negatives = tensor(negatives),
        };
    }

    /// <summary>Runs one step's loss the way the engine does (without the update) and returns it with the recorded terms.</summary>
    public static (Tensor Loss, Dictionary<string, double> Terms) Loss(TrainingGraph graph, string step, TrainingBatch batch)
    {
        var terms = new Dictionary<string, double>();
        var loss = graph.Steps.Single(s => s.Name == step).Loss(new StepContext(batch, (k, v) => terms[k] = v));
        return (loss, terms);
    }

    public static MmsslModel Model(TrainingGraph graph) => (MmsslModel)graph.Modules["model"];

    public static void Dispose(TrainingGraph graph)
    {
        foreach (var m in graph.Modules.Values) m.Dispose();
    }
}
