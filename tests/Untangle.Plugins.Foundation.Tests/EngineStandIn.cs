using Untangle.Contracts.Components;
using Untangle.Contracts.Data;
using Untangle.Contracts.Training;
using static TorchSharp.torch;

namespace Untangle.Plugins.Foundation.Tests;

/// <summary>
/// A minimal stand-in for the engine, enough to train a <see cref="TrainingGraph"/> on triples:
/// shuffled (user, positive) pairs with a negative drawn uniformly outside the user's training
/// items, every step run every batch with Adam (zero_grad, loss, backward, step) inside a
/// per-batch dispose scope, then the AfterBatch systems; scoring in eval mode under no_grad.
/// </summary>
public sealed class EngineStandIn : IDisposable
{
    private readonly TrainingGraph _graph;
    private readonly Interactions _train;
    private readonly Random _random;
    private readonly List<optim.Optimizer> _optimizers;
    private long _globalBatch;

    public EngineStandIn(TrainingGraph graph, Interactions train, int seed)
    {
        _graph = graph;
        _train = train;
        _random = new Random(seed);
        _optimizers = graph.Steps.Select(s =>
        {
            s.Optimizer.Kind.Should().Be("adam");
            return (optim.Optimizer)optim.Adam(s.Parameters, s.Optimizer.LearningRate, weight_decay: s.Optimizer.WeightDecay);
        }).ToList();
    }

    /// <summary>Runs <paramref name="epochs"/> epochs; returns the mean loss of each epoch.</summary>
    public List<double> Train(int epochs, int batchSize)
    {
        var pairs = new List<(int User, int Item)>();
        for (int u = 0; u < _train.Rows; u++)
            foreach (var i in _train.Row(u)) pairs.Add((u, i));

        var epochLosses = new List<double>();
        foreach (var module in _graph.Modules.Values) module.train();
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            var order = pairs.ToArray();
            _random.Shuffle(order);
            double sum = 0;
            int batches = 0;
            for (int start = 0; start < order.Length; start += batchSize, batches++)
            {
                using var scope = NewDisposeScope();
                var slice = order.AsSpan(start, Math.Min(batchSize, order.Length - start)).ToArray();
                var batch = new TrainingBatch
                {
                    Kind = BatchKind.Triples,
                    Epoch = epoch,
                    Index = batches,
                    GlobalBatch = _globalBatch,
                    Device = CPU,
                    Users = tensor(slice.Select(p => (long)p.User).ToArray()),
                    Positives = tensor(slice.Select(p => (long)p.Item).ToArray()),
                    Negatives = tensor(slice.Select(p => (long)Negative(p.User)).ToArray()),
                };
                for (int s = 0; s < _graph.Steps.Count; s++)
                {
                    _optimizers[s].zero_grad();
                    var loss = _graph.Steps[s].Loss(new StepContext(batch, (_, _) => { }));
                    loss.backward();
                    _optimizers[s].step();
                    sum += loss.item<float>();
                }
                foreach (var system in _graph.Systems.Where(x => x.Stage == Stage.AfterBatch))
                    system.Run(new StageContext { Epoch = epoch, BatchIndex = batches, GlobalBatch = _globalBatch, Device = CPU });
                _globalBatch++;
            }
            epochLosses.Add(sum / batches);
        }
        return epochLosses;
    }

    /// <summary>Scores for <paramref name="users"/> (rows) over every item, as the evaluator asks for them.</summary>
    public float[][] Score(int[] users)
    {
        foreach (var module in _graph.Modules.Values) module.eval();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var scores = _graph.Scorer.Score(new ScoringBatch
        {
            Users = tensor(users.Select(u => (long)u).ToArray()),
            Known = _train.SelectRows(users),
            Device = CPU,
        });
        return Fixtures.Rows(scores);
    }

    private int Negative(int user)
    {
        while (true)
        {
            int item = _random.Next(_train.ColumnCount);
            if (!_train.Contains(user, item)) return item;
        }
    }

    public void Dispose()
    {
        foreach (var optimizer in _optimizers) optimizer.Dispose();
    }
}
