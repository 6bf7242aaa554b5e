using Untangle.Contracts.Components;
using Untangle.Contracts.Training;
using static TorchSharp.torch;

namespace Untangle.Plugins.InfoBounds.Tests;

/// <summary>
/// The engine's per-batch semantics in a few lines, for tests that train on data they sample themselves:
/// each batch runs the steps in declared order, a RepeatPerBatch(k) step k times (zero_grad, loss,
/// backward, update with Adam), inside one dispose scope. The host's Trainer does the same (and the
/// swap test runs that one).
/// </summary>
public sealed class TinyEngine(IReadOnlyList<OptimizationStep> steps) : IDisposable
{
    private readonly List<optim.Optimizer> _optimizers = steps.Select(s =>
        (optim.Optimizer)optim.Adam(s.Parameters, lr: s.Optimizer.LearningRate)).ToList();

    /// <summary>One batch: <paramref name="prepare"/> draws its data, then every step runs per its schedule.</summary>
    public void Batch(long index, Action prepare)
    {
        using var scope = NewDisposeScope();
        prepare();
        var batch = new TrainingBatch
        {
            Kind = BatchKind.Triples, Epoch = 1, Index = (int)index, GlobalBatch = index, Device = CPU, Users = zeros(0, dtype: ScalarType.Int64),
        };
        for (int s = 0; s < steps.Count; s++)
        {
            var schedule = steps[s].Schedule;
            schedule.Kind.Should().BeOneOf(ScheduleKind.EveryBatch, ScheduleKind.RepeatPerBatch);
            for (int t = 0; t < schedule.Times; t++)
            {
                _optimizers[s].zero_grad();
                steps[s].Loss(new StepContext(batch, (_, _) => { })).backward();
                _optimizers[s].step();
            }
        }
    }

    public void Dispose()
    {
        foreach (var o in _optimizers) o.Dispose();
    }
}
