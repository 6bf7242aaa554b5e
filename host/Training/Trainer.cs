using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Untangle.Contracts.Data;
using Untangle.Contracts.Evaluation;
using Untangle.Contracts.Training;
using static TorchSharp.torch;

namespace Untangle.Host.Training;

/// <summary>One epoch's record for the log: training seconds (validation excluded), mean loss per step and per recorded term, and validation metrics.</summary>
public sealed record EpochRecord(int Epoch, double Seconds, IReadOnlyDictionary<string, double> Losses, IReadOnlyDictionary<string, MetricResult>? Validation);

/// <summary>What training returns: the best epoch (0 when nothing was trained) and its validation metrics.</summary>
public sealed record TrainingOutcome(int BestEpoch, IReadOnlyDictionary<string, MetricResult> Validation, IReadOnlyList<EpochRecord> Epochs, bool StoppedEarly);

/// <summary>
/// Runs a <see cref="TrainingGraph"/>: epochs of batches, steps in declared order per their schedules,
/// systems at their stages, validation every N epochs with early stopping on one metric, and the best
/// epoch's checkpoint restored at the end. The method never writes a loop of its own.
/// </summary>
public sealed class Trainer(ILogger logger)
{
    public required TrainingGraph Graph { get; init; }
    public required TrainingBatches Batches { get; init; }
    public required Device Device { get; init; }
    public required int Epochs { get; init; }
    public required int EvalEvery { get; init; }
    public required int Patience { get; init; }
    public required string ValidationMetric { get; init; }
    public required bool HigherIsBetter { get; init; }
    public required Func<EvaluationSet, IReadOnlyDictionary<string, MetricResult>> Evaluate { get; init; }
    public required EvaluationSet ValidationSet { get; init; }
    public required Checkpoint Checkpoint { get; init; }
    /// <summary>Called after every epoch (the run appends it to the epoch log).</summary>
    public Action<EpochRecord>? OnEpoch { get; init; }

    public TrainingOutcome Train(CancellationToken cancel = default)
    {
        var records = new List<EpochRecord>();
        if (Graph.Steps.Count == 0)
        {
            // Nothing to optimise (e.g. MostPopular): evaluate once and keep that state.
            var validation = Validate();
            Checkpoint.Save(Graph.Modules);
            var record = new EpochRecord(0, 0, new Dictionary<string, double>(), validation);
            records.Add(record);
            OnEpoch?.Invoke(record);
            return new TrainingOutcome(0, validation, records, false);
        }

        var runners = Graph.Steps.Select(s => new StepRunner(s)).ToList();
        try
        {
            return Loop(runners, records, cancel);
        }
        finally
        {
            foreach (var r in runners) r.Dispose();
        }
    }

    private TrainingOutcome Loop(List<StepRunner> runners, List<EpochRecord> records, CancellationToken cancel)
    {
        var perEpoch = runners.Where(r => r.Step.Schedule.Kind == ScheduleKind.PerEpoch).ToList();
        var perBatch = runners.Where(r => r.Step.Schedule.Kind != ScheduleKind.PerEpoch).ToList();
        int bestEpoch = 0, sinceBest = 0;
        double best = double.NaN;
        IReadOnlyDictionary<string, MetricResult> bestValidation = new Dictionary<string, MetricResult>();
        long global = 0;
        bool stoppedEarly = false;

        for (int epoch = 1; epoch <= Epochs; epoch++)
        {
            cancel.ThrowIfCancellationRequested();
            var clock = Stopwatch.StartNew();
            var sums = new Dictionary<string, (double Sum, int Count)>();
            void Record(string name, double value)
            {
                sums.TryGetValue(name, out var s);
                sums[name] = (s.Sum + value, s.Count + 1);
            }

            Train(true);
            RunSystems(Stage.BeforeEpoch, epoch, -1, global);
            for (int i = 0; i < perEpoch.Count; i++)
                for (int t = 0; t < perEpoch[i].Step.Schedule.Times; t++)
                {
                    using var scope = NewDisposeScope();
                    var batch = TrainingBatches.FullGraph(epoch, t, global, Device);
                    Record(perEpoch[i].Step.Name, perEpoch[i].Run(batch, Record));
                }

            using (var batches = Batches.Epoch(epoch, global).GetEnumerator())
            {
                while (true)
                {
                    // The scope opens before the batch is made, so the batch's tensors die with it.
                    using var scope = NewDisposeScope();
                    if (!batches.MoveNext()) break;
                    var batch = batches.Current;
                    RunSystems(Stage.BeforeBatch, epoch, batch.Index, global);
                    foreach (var runner in perBatch)
                    {
                        var schedule = runner.Step.Schedule;
                        int times = schedule.Kind switch
                        {
                            ScheduleKind.RepeatPerBatch => schedule.Times,
                            ScheduleKind.EveryNBatches => global % schedule.Times == 0 ? 1 : 0,
                            _ => 1,
                        };
                        for (int t = 0; t < times; t++)
                            Record(runner.Step.Name, runner.Run(batch, Record));
                    }
                    RunSystems(Stage.AfterBatch, epoch, batch.Index, global);
                    global++;
                }
            }
            RunSystems(Stage.AfterEpoch, epoch, -1, global);
            var trainingSeconds = clock.Elapsed.TotalSeconds; // benchmarks report training time without validation

            IReadOnlyDictionary<string, MetricResult>? validation = null;
            if (epoch % EvalEvery == 0 || epoch == Epochs)
            {
                validation = Validate();
                double value = validation[ValidationMetric].Mean;
                bool improved = double.IsNaN(best) || (HigherIsBetter ? value > best : value < best);
                if (improved)
                {
                    best = value;
                    bestEpoch = epoch;
                    bestValidation = validation;
                    sinceBest = 0;
                    Checkpoint.Save(Graph.Modules);
                }
                else
                {
                    sinceBest++;
                }
            }

            var losses = sums.ToDictionary(kv => kv.Key, kv => kv.Value.Sum / kv.Value.Count);
            var record = new EpochRecord(epoch, trainingSeconds, losses, validation);
            records.Add(record);
            OnEpoch?.Invoke(record);
            logger.LogInformation("epoch {Epoch}/{Epochs} {Seconds:F2}s {Losses}{Validation}", epoch, Epochs, record.Seconds,
                string.Join(" ", losses.Select(kv => $"{kv.Key}={kv.Value:G5}")),
                validation is null ? "" : $" | valid {ValidationMetric}={validation[ValidationMetric].Mean:F5}{(bestEpoch == epoch ? " *" : "")}");

            if (Patience > 0 && sinceBest >= Patience)
            {
                logger.LogInformation("early stop: {Metric} has not improved for {Patience} evaluations; best epoch {Best}", ValidationMetric, Patience, bestEpoch);
                stoppedEarly = true;
                break;
            }
        }

        if (Checkpoint.Exists)
            Checkpoint.Restore(Graph.Modules);
        return new TrainingOutcome(bestEpoch, bestValidation, records, stoppedEarly);
    }

    private IReadOnlyDictionary<string, MetricResult> Validate()
    {
        Train(false);
        return Evaluate(ValidationSet);
    }

    private void Train(bool on)
    {
        foreach (var module in Graph.Modules.Values)
        {
            if (on) module.train();
            else module.eval();
        }
    }

    private void RunSystems(Stage stage, int epoch, int batchIndex, long global)
    {
        foreach (var system in Graph.Systems)
        {
            if (system.Stage != stage) continue;
            bool batchStage = stage is Stage.BeforeBatch or Stage.AfterBatch;
            if (batchStage && global % system.EveryNBatches != 0) continue;
            system.Run(new StageContext { Epoch = epoch, BatchIndex = batchIndex, GlobalBatch = global, Device = Device });
        }
    }
}
