using Microsoft.Extensions.Logging.Abstractions;
using Untangle.Contracts.Components;
using Untangle.Contracts.Data;
using Untangle.Contracts.Settings;
using Untangle.Contracts.Training;
using Untangle.Plugins.MacridVae;
using static TorchSharp.torch;

namespace Untangle.Plugins.VaeFamily.Tests;

/// <summary>Small hand-written data, the MethodContext the engine would build, and batch/score helpers.</summary>
public static class Fixtures
{
    /// <summary>A users × items matrix from per-user item lists.</summary>
    public static Interactions Matrix(int items, params int[][] rows)
    {
        var builder = new InteractionsBuilder(rows.Length, items);
        for (int u = 0; u < rows.Length; u++)
            foreach (var i in rows[u]) builder.Add(u, i);
        return builder.Build();
    }

    /// <summary>
    /// Two clusters of 12 items: users 0..7 take items from the first half, users 8..15 from the second;
    /// two held-out users (one per cluster) with fold-in rows and targets, as strong generalization.
    /// Items carry one category each: their cluster (item 11 has none).
    /// </summary>
    public static (Dataset Dataset, Split Split) Clustered()
    {
        var rows = new int[16][];
        for (int u = 0; u < 16; u++)
        {
            int offset = u < 8 ? 0 : 6;
            rows[u] = [offset + u % 6, offset + (u + 1) % 6, offset + (u + 3) % 6];
        }
        var train = Matrix(12, rows);
        var heldOutKnown = Matrix(12, [0, 1, 2], [6, 7, 8]);
        var heldOutTargets = Matrix(12, [3], [9]);
        var set = new EvaluationSet
        {
            Name = "test",
            Users = [-1, -1],
            DatasetUsers = [16, 17],
            Known = heldOutKnown,
            Targets = heldOutTargets,
        };
        var split = new Split
        {
            Protocol = "fixture",
            Train = train,
            Validation = set,
            Test = set,
            UserToDataset = Enumerable.Range(0, 16).ToArray(),
            ItemToDataset = Enumerable.Range(0, 12).ToArray(),
            HeldOutUsers = true,
        };
        var dataset = new Dataset
        {
            Name = "clustered",
            UserIds = Enumerable.Range(0, 18).Select(u => $"u{u}").ToArray(),
            ItemIds = Enumerable.Range(0, 12).Select(i => $"i{i}").ToArray(),
            Interactions = Matrix(12, [.. rows, [0, 1, 2, 3], [6, 7, 8, 9]]),
            ItemCategories = new ItemCategories(["left", "right"],
                Enumerable.Range(0, 12).Select(i => i == 11 ? Array.Empty<int>() : [i < 6 ? 0 : 1]).ToArray()),
        };
        return (dataset, split);
    }

    /// <summary>What the host would pass Build(): resolved hyper-parameters and MacridVae's factories for the slots.</summary>
    public static MethodContext Context(IMethod method, Dataset dataset, Split split, int seed = 7, int batchSize = 8,
        IReadOnlyDictionary<string, string>? hyper = null)
    {
        var declaration = method.Declare();
        object Create(string slot, IReadOnlyDictionary<string, object> arguments)
        {
            var declared = declaration.Slots.Single(s => s.Name == slot);
            IEncoderFactory factory = declared.DefaultComponent switch
            {
                MacridVaePlugin.ConceptAssignmentName => new ConceptAssignmentFactory(),
                MacridVaePlugin.ConceptEncoderName => new ConceptEncoderFactory(),
                _ => throw new InvalidOperationException($"no fixture factory for slot '{slot}'"),
            };
            return SlotComponent.Make(factory, slot, arguments: arguments);
        }

        return MethodContexts.For(method, dataset, split, hyper, Create, seed, batchSize, batchesPerEpoch: (split.Train.Rows + batchSize - 1) / batchSize);
    }

    /// <summary>A user-row training batch of the listed training users, as the engine makes it.</summary>
    public static TrainingBatch Batch(Interactions train, int[] users, long globalBatch = 0) => new()
    {
        Kind = BatchKind.UserRows,
        Epoch = 1,
        Index = 0,
        GlobalBatch = globalBatch,
        Device = CPU,
        Users = tensor(users.Select(u => (long)u).ToArray()),
        Rows = train.SelectRows(users),
    };

    /// <summary>Runs each step's loss on the batch (no update) and returns the loss and the recorded terms.</summary>
    public static (double Loss, Dictionary<string, double> Terms) Evaluate(OptimizationStep step, TrainingBatch batch)
    {
        var terms = new Dictionary<string, double>();
        using var scope = NewDisposeScope();
        var loss = step.Loss(new StepContext(batch, (k, v) => terms[k] = v));
        return (loss.item<float>(), terms);
    }

    /// <summary>Trains the graph's steps with Adam on the whole training matrix as batches of all users, <paramref name="steps"/> times.</summary>
    public static List<double> Train(TrainingGraph graph, Interactions train, int steps)
    {
        foreach (var module in graph.Modules.Values) module.train();
        var optimizers = graph.Steps.Select(s => optim.Adam(s.Parameters, s.Optimizer.LearningRate)).ToList();
        var losses = new List<double>();
        var users = Enumerable.Range(0, train.Rows).ToArray();
        try
        {
            for (int t = 0; t < steps; t++)
            {
                using var scope = NewDisposeScope();
                var batch = Batch(train, users, t);
                for (int s = 0; s < graph.Steps.Count; s++)
                {
                    optimizers[s].zero_grad();
                    var loss = graph.Steps[s].Loss(new StepContext(batch, (_, _) => { }));
                    loss.backward();
                    optimizers[s].step();
                    losses.Add(loss.item<float>());
                }
            }
        }
        finally
        {
            foreach (var o in optimizers) o.Dispose();
        }
        return losses;
    }

    /// <summary>Scores the rows of <paramref name="known"/> as the evaluator asks for them: eval mode, no_grad, users -1.</summary>
    public static float[][] Score(TrainingGraph graph, Interactions known)
    {
        foreach (var module in graph.Modules.Values) module.eval();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var scores = graph.Scorer.Score(new ScoringBatch
        {
            Users = full(known.Rows, -1L, dtype: ScalarType.Int64),
            Known = known,
            Device = CPU,
        });
        scores.shape.Should().Equal(known.Rows, known.ColumnCount);
        return Rows(scores);
    }

    public static float[][] Rows(Tensor matrix)
    {
        using var scope = NewDisposeScope();
        var onCpu = (matrix.is_sparse ? matrix.to_dense() : matrix).detach().cpu().contiguous();
        var flat = onCpu.data<float>().ToArray();
        int rows = (int)onCpu.shape[0], cols = (int)onCpu.shape[1];
        return Enumerable.Range(0, rows).Select(r => flat.AsSpan(r * cols, cols).ToArray()).ToArray();
    }

    public static byte[] Checkpoint(nn.Module module)
    {
        using var stream = new MemoryStream();
        module.save(stream);
        return stream.ToArray();
    }

    public static void Restore(nn.Module module, byte[] checkpoint)
    {
        using var stream = new MemoryStream(checkpoint);
        module.load(stream);
    }

    public static void Dispose(TrainingGraph graph)
    {
        foreach (var module in graph.Modules.Values) module.Dispose();
    }
}
