using Microsoft.Extensions.Logging.Abstractions;
using Untangle.Contracts.Components;
using Untangle.Contracts.Data;
using Untangle.Contracts.Settings;
using Untangle.Contracts.Training;
using static TorchSharp.torch;

namespace Untangle.Plugins.Foundation.Tests;

/// <summary>Small hand-written data sets and the MethodContext the engine would build for them.</summary>
public static class Fixtures
{
    /// <summary>A users × items training matrix from per-user item lists.</summary>
    public static Interactions Matrix(int items, params int[][] rows)
    {
        var builder = new InteractionsBuilder(rows.Length, items);
        for (int u = 0; u < rows.Length; u++)
            foreach (var i in rows[u]) builder.Add(u, i);
        return builder.Build();
    }

    /// <summary>A data set and a weak split whose test targets are <paramref name="heldOut"/> (one item per user, or none).</summary>
    public static (Dataset Dataset, Split Split) DataAndSplit(Interactions train, int[][]? heldOut = null)
    {
        heldOut ??= Enumerable.Range(0, train.Rows).Select(_ => Array.Empty<int>()).ToArray();
        var dataset = new Dataset
        {
            Name = "fixture",
            UserIds = Enumerable.Range(0, train.Rows).Select(u => $"u{u}").ToArray(),
            ItemIds = Enumerable.Range(0, train.ColumnCount).Select(i => $"i{i}").ToArray(),
            Interactions = train.Union(Matrix(train.ColumnCount, heldOut)),
        };
        var users = Enumerable.Range(0, train.Rows).ToArray();
        var test = new EvaluationSet
        {
            Name = "test",
            Users = users,
            DatasetUsers = users,
            Known = train,
            Targets = Matrix(train.ColumnCount, heldOut),
        };
        var split = new Split
        {
            Protocol = "fixture",
            Train = train,
            Validation = test,
            Test = test,
            UserToDataset = users,
            ItemToDataset = Enumerable.Range(0, train.ColumnCount).ToArray(),
        };
        return (dataset, split);
    }

    /// <summary>
    /// What the host would pass Build(): hyper-parameters resolved against the method's declaration,
    /// and each slot filled by the Foundation factory of its default name (settings from
    /// <paramref name="slotSettings"/>, as hyper.&lt;slot&gt;.&lt;setting&gt;).
    /// </summary>
    public static MethodContext Context(
        IMethod method, Dataset dataset, Split split, int seed = 7, int batchSize = 64,
        IReadOnlyDictionary<string, string>? hyper = null,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>? slotSettings = null)
    {
        var declaration = method.Declare();
        object Create(string slot, IReadOnlyDictionary<string, object> arguments)
        {
            var declared = declaration.Slots.Single(s => s.Name == slot);
            var settings = slotSettings is not null && slotSettings.TryGetValue(slot, out var given) ? given : null;
            return declared.DefaultComponent switch
            {
                FoundationPlugin.UserItemGraph when declared.Kind == ComponentKind.GraphBuilder =>
                    SlotComponent.Make(new UserItemGraphFactory(), slot, settings, arguments),
                FoundationPlugin.LightGcnEncoder when declared.Kind == ComponentKind.Encoder =>
                    SlotComponent.Make(new LightGcnEncoderFactory(), slot, settings, arguments),
                _ => throw new InvalidOperationException($"no fixture factory for slot '{slot}'"),
            };
        }

        return MethodContexts.For(method, dataset, split, hyper, Create, seed, batchSize);
    }

    /// <summary>A module's state as the engine's checkpoint would save it (TorchSharp's format).</summary>
    public static byte[] Checkpoint(nn.Module module)
    {
        using var stream = new MemoryStream();
        module.save(stream); // closes the stream; ToArray still works
        return stream.ToArray();
    }

    public static void Restore(nn.Module module, byte[] checkpoint)
    {
        using var stream = new MemoryStream(checkpoint);
        module.load(stream);
    }

    /// <summary>The rows of a 2-D float tensor as a jagged array.</summary>
    public static float[][] Rows(Tensor matrix)
    {
        using var scope = NewDisposeScope();
        var onCpu = (matrix.is_sparse ? matrix.to_dense() : matrix).cpu().contiguous();
        var flat = onCpu.data<float>().ToArray();
        int rows = (int)onCpu.shape[0], cols = (int)onCpu.shape[1];
        return Enumerable.Range(0, rows).Select(r => flat.AsSpan(r * cols, cols).ToArray()).ToArray();
    }
}
