using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Untangle.Contracts.Data;
using Untangle.Contracts.Evaluation;
using Untangle.Contracts.Training;
using Untangle.Host.Training.Checkpoints;
using static TorchSharp.torch;

namespace Untangle.Host.Training;

/// <summary>One epoch's record for the log: training seconds (validation excluded), mean loss per step and per recorded term, and validation metrics.</summary>
public sealed record EpochRecord(int Epoch, double Seconds, IReadOnlyDictionary<string, double> Losses, IReadOnlyDictionary<string, MetricResult>? Validation);

/// <summary>What training returns: the best epoch (0 when nothing was trained) and its validation metrics.</summary>
public sealed record TrainingOutcome(int BestEpoch, IReadOnlyDictionary<string, MetricResult> Validation, IReadOnlyList<EpochRecord> Epochs, bool StoppedEarly);

/// <summary>
/// Runs a <see cref="TrainingGraph"/>: epochs of batches, steps in declared order per their schedules,
/// systems at their stages, validation every N epochs with early stopping on one metric, and the best
/// epoch's modules restored at the end. The method never writes a loop of its own.
/// </summary>
/// <remarks>
/// Faults: after every epoch the trainer writes a snapshot (<see cref="CheckpointFolder"/>) with the
/// module, optimizer and RNG states and its own state; when cancelled it finishes the current batch's
/// steps, writes a snapshot at that batch and throws <see cref="TrainingInterrupted"/>. With
/// <see cref="Resume"/> it continues from the newest snapshot. Batches come from per-epoch generators
/// (<see cref="EpochSeeds"/>) and the rest of the randomness is in the snapshot, so a resumed run
/// computes what the uninterrupted run computes.
/// </remarks>
public sealed class Trainer(ILogger logger)
{
    public required TrainingGraph Graph { get; init; }
    public required TrainingBatches Batches { get; init; }
    public required Device Device { get; init; }
    /// <summary>train.row_updates, for the steps' row-read tables (<see cref="StepRunner"/>).</summary>
    public RowUpdates RowUpdates { get; init; } = RowUpdates.Dense;
    public required int Epochs { get; init; }
    public required int EvalEvery { get; init; }
    public required int Patience { get; init; }
    public required string ValidationMetric { get; init; }
    public required bool HigherIsBetter { get; init; }
    public required Func<EvaluationSet, IReadOnlyDictionary<string, MetricResult>> Evaluate { get; init; }
    public required EvaluationSet ValidationSet { get; init; }
    public required CheckpointFolder Checkpoints { get; init; }
    /// <summary>Fingerprint of the resolved configuration; a snapshot from another configuration is refused.</summary>
    public required string Config { get; init; }
    /// <summary>The engine's fits of engine-trained slots (<see cref="SlotFits"/>), run after each step that used their estimator.</summary>
    internal SlotFits Fits { get; init; } = SlotFits.None;
    /// <summary>The method's random source, checkpointed with the rest.</summary>
    public RunRandom? MethodRandom { get; init; }
    /// <summary>Continue from the newest snapshot in <see cref="Checkpoints"/> when there is one.</summary>
    public bool Resume { get; init; }
    public ITrainingProgress? Progress { get; init; }
    /// <summary>Told of every epoch as it ends and, on resume, of the epochs the snapshot had finished (the epoch log, the store).</summary>
    public IReadOnlyList<Untangle.Host.Runs.IRunObserver> Observers { get; init; } = [];

    public TrainingOutcome Train(CancellationToken cancel = default)
    {
        if (Graph.Steps.Count == 0) return EvaluateOnly();
        var runners = Graph.Steps.Select(s => new StepRunner(s, RowUpdates)).ToList();
        try
        {
            // The fits' optimizers are checkpointed after the method's, in slot order.
            return Loop(runners, [.. runners, .. Fits.Runners], cancel);
        }
        finally
        {
            foreach (var r in runners) r.Dispose();
        }
    }

    /// <summary>Nothing to optimise (e.g. MostPopular): evaluate once and keep that state.</summary>
    private TrainingOutcome EvaluateOnly()
    {
        if (Resume) Resumed([]); // evaluating again is cheaper than restoring: start over
        var validation = Validate();
        var record = new EpochRecord(0, 0, new Dictionary<string, double>(), validation);
        var stopping = new EarlyStopping(ValidationMetric, HigherIsBetter, 0);
        stopping.Observe(0, validation);
        Checkpoints.Write(folder => TrainingSnapshot.Write(folder, Graph, [], MethodRandom,
            State(0, 0, 0, 0, new EpochLosses(), stopping, [record], finished: true, stoppedEarly: false), currentIsBest: true, bestFrom: null));
        EpochEnded(record);
        return new TrainingOutcome(0, validation, [record], false);
    }

    private TrainingOutcome Loop(List<StepRunner> runners, List<StepRunner> saved, CancellationToken cancel)
    {
        var (perEpoch, perBatch) = ScheduledSteps.Split(runners);
        var stopping = new EarlyStopping(ValidationMetric, HigherIsBetter, Patience);
        var records = new List<EpochRecord>();
        var losses = new EpochLosses();
        int first = 1, skip = 0;
        long global = 0;
        double carried = 0;
        bool finished = false, stoppedEarly = false;

        string? snapshot = Resume ? Checkpoints.Latest() : null;
        if (snapshot is not null)
        {
            var state = TrainingSnapshot.Restore(snapshot, Config, Graph, saved, MethodRandom);
            records.AddRange(state.Records.Select(r => r.ToRecord()));
            stopping.Restore(state.Stopping);
            global = state.GlobalBatch;
            (finished, stoppedEarly) = (state.Finished, state.StoppedEarly);
            if (state.BatchesDone > 0)
            {
                (first, skip, carried) = (state.Epoch, state.BatchesDone, state.EpochSeconds);
                losses = EpochLosses.Restore(state.Losses);
            }
            else
            {
                first = state.Epoch + 1;
            }
            logger.LogInformation("resuming from {Checkpoint}: epoch {Epoch}, {Batches} batches done", snapshot, first, skip);
        }
        else if (Resume)
        {
            logger.LogInformation("no checkpoint in {Folder}: training starts from the beginning", Checkpoints.Path);
        }
        if (Resume) Resumed(records);

        Progress?.Started(Epochs, Batches.PerEpoch, first, skip);
        try
        {
            for (int epoch = first; !finished && epoch <= Epochs; epoch++, skip = 0, carried = 0)
            {
                using var epochScope = logger.BeginScope(new Dictionary<string, object> { ["Epoch"] = epoch });
                if (skip == 0)
                {
                    // At an epoch boundary the newest snapshot is already the resume point.
                    if (cancel.IsCancellationRequested) throw new TrainingInterrupted(epoch, 0, snapshot);
                    losses = new EpochLosses();
                }
                var clock = Stopwatch.StartNew();

                Train(true);
                if (skip == 0)
                {
                    RunSystems(Stage.BeforeEpoch, epoch, -1, global, losses);
                    ScheduledSteps.AtEpochStart(perEpoch, t => TrainingBatches.FullGraph(epoch, t, global, Device), losses, Fits);
                }

                int done = skip;
                using (var batches = Batches.Epoch(epoch, global - skip, skip).GetEnumerator())
                {
                    while (true)
                    {
                        // The scope opens before the batch is made, so the batch's tensors die with it.
                        using var scope = NewDisposeScope();
                        if (!batches.MoveNext()) break;
                        var batch = batches.Current;
                        RunSystems(Stage.BeforeBatch, epoch, batch.Index, global, losses);
                        ScheduledSteps.OnBatch(perBatch, batch, global, losses, Fits);
                        RunSystems(Stage.AfterBatch, epoch, batch.Index, global, losses);
                        global++;
                        done++;
                        Progress?.BatchDone(epoch, done, losses.Last);
                        if (cancel.IsCancellationRequested)
                        {
                            // The step in flight has finished: checkpoint here and stop (deferred row
                            // updates are saved as they stand: the resumed run settles where this one would).
                            var state = State(epoch, done, global, carried + clock.Elapsed.TotalSeconds, losses, stopping, records, false, false);
                            var previous = snapshot;
                            snapshot = Checkpoints.Write(folder => TrainingSnapshot.Write(folder, Graph, saved, MethodRandom, state, false, previous));
                            logger.LogInformation("stop requested: checkpoint at epoch {Epoch}, batch {Batch} written to {Checkpoint}", epoch, done, snapshot);
                            throw new TrainingInterrupted(epoch, done, snapshot);
                        }
                    }
                }
                // Deferred row updates are due before anything outside the steps reads the tables.
                foreach (var r in saved) r.Settle();
                RunSystems(Stage.AfterEpoch, epoch, -1, global, losses);
                var trainingSeconds = carried + clock.Elapsed.TotalSeconds; // benchmarks report training time without validation

                IReadOnlyDictionary<string, MetricResult>? validation = null;
                bool improved = false;
                if (epoch % EvalEvery == 0 || epoch == Epochs)
                {
                    validation = Validate();
                    improved = stopping.Observe(epoch, validation);
                }

                var means = losses.Means();
                var record = new EpochRecord(epoch, trainingSeconds, means, validation);
                records.Add(record);
                foreach (var (step, loss) in means)
                    logger.LogDebug("epoch {Epoch} step {Step} loss {Loss}", epoch, step, loss);
                logger.LogInformation("epoch {Epoch}/{Epochs} {Seconds:F2}s {Losses}{Validation}", epoch, Epochs, record.Seconds,
                    string.Join(" ", means.Select(kv => $"{kv.Key}={kv.Value:G5}")),
                    validation is null ? "" : $" | valid {ValidationMetric}={validation[ValidationMetric].Mean:F5}{(improved ? " *" : "")}");
                stoppedEarly = stopping.ShouldStop;
                finished = stoppedEarly || epoch == Epochs;
                EpochEnded(record);
                Progress?.EpochDone(record, ValidationMetric, improved);

                var complete = State(epoch, 0, global, 0, new EpochLosses(), stopping, records, finished, stoppedEarly);
                var before = snapshot;
                snapshot = Checkpoints.Write(folder => TrainingSnapshot.Write(folder, Graph, saved, MethodRandom, complete, improved, before));

                if (stoppedEarly)
                    logger.LogInformation("early stop: {Metric} has not improved for {Patience} evaluations; best epoch {Best}", ValidationMetric, Patience, stopping.BestEpoch);
            }
        }
        finally
        {
            Progress?.Finished();
        }

        if (snapshot is not null && TrainingState.Read(snapshot).HasBest)
            TrainingSnapshot.RestoreBest(snapshot, Graph);
        return new TrainingOutcome(stopping.BestEpoch, stopping.BestValidation, records, stoppedEarly);
    }

    private TrainingState State(int epoch, int batchesDone, long global, double seconds, EpochLosses losses, EarlyStopping stopping,
        IReadOnlyList<EpochRecord> records, bool finished, bool stoppedEarly) => new()
    {
        Config = Config,
        Epoch = epoch,
        BatchesDone = batchesDone,
        GlobalBatch = global,
        EpochSeconds = seconds,
        Losses = losses.Save(),
        Stopping = stopping.Save(),
        Finished = finished,
        StoppedEarly = stoppedEarly,
        Records = records.Select(StoredEpoch.From).ToList(),
    };

    private void EpochEnded(EpochRecord record)
    {
        foreach (var observer in Observers) observer.EpochEnded(record);
    }

    private void Resumed(IReadOnlyList<EpochRecord> records)
    {
        foreach (var observer in Observers) observer.Resumed(records);
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

    private void RunSystems(Stage stage, int epoch, int batchIndex, long global, EpochLosses losses)
    {
        foreach (var system in Graph.Systems)
        {
            if (system.Stage != stage) continue;
            bool batchStage = stage is Stage.BeforeBatch or Stage.AfterBatch;
            if (batchStage && global % system.EveryNBatches != 0) continue;
            system.Run(new StageContext { Epoch = epoch, BatchIndex = batchIndex, GlobalBatch = global, Device = Device, Record = losses.Add });
        }
    }
}
