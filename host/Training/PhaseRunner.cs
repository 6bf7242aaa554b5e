using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Untangle.Contracts.Components;
using Untangle.Contracts.Training;
using Untangle.Host.Training.Checkpoints;
using static TorchSharp.torch;

namespace Untangle.Host.Training;

/// <summary>
/// Runs a method's <see cref="TrainingPhase"/> when Build asks for it (<see cref="MethodContext.RunPhase"/>):
/// the phase's epochs of the method's batches, its steps per their schedules (each through a
/// <see cref="StepRunner"/>: NaN check, clipping, the optimizer), the engine's fits of engine-trained
/// slots after the steps that used them, its systems at their stages, a log line every LogEvery epochs
/// and progress after each.
/// </summary>
/// <remarks>
/// <para><b>Checkpoints</b> (with <see cref="CheckpointRoot"/>): checkpoint/phase-NAME/ holds the phase's
/// snapshots (<see cref="PhaseSnapshot"/>): one when the phase ends, one at an epoch boundary when a
/// stop is requested (then <see cref="TrainingInterrupted"/>), and one every <see cref="SnapshotSeconds"/>
/// seconds of phase time, so a crash loses at most that much. With <see cref="Resume"/>, a finished
/// phase is restored (modules, optimizers, the torch generator, the method's random source) instead of
/// trained, and an unfinished one continues after its last snapshot's epoch: either way the run goes on
/// exactly as the uninterrupted run did.</para>
/// <para>Stops are honoured at epoch boundaries: a phase epoch is a pass over the items, short next to
/// a main-loop epoch.</para>
/// </remarks>
public sealed partial class PhaseRunner(ILogger logger)
{
    public required Device Device { get; init; }
    /// <summary>train.row_updates, for the phases' row-read tables (<see cref="StepRunner"/>).</summary>
    public RowUpdates RowUpdates { get; init; } = RowUpdates.Dense;
    /// <summary>The run's checkpoint/ folder; null: no checkpoints (a plugin's own tests).</summary>
    public string? CheckpointRoot { get; init; }
    /// <summary>Fingerprint of the resolved configuration; a phase snapshot from another one is refused.</summary>
    public string Config { get; init; } = "";
    public RunRandom? Random { get; init; }
    public bool Resume { get; init; }
    public CancellationToken Cancel { get; init; }
    public ITrainingProgress? Progress { get; init; }
    public double SnapshotSeconds { get; init; } = 120;
    /// <summary>The engine's fits of engine-trained slots made so far (set by <see cref="MethodGraph"/> before Build).</summary>
    internal SlotFits Fits { get; set; } = SlotFits.None;

    private readonly HashSet<string> _ran = new(StringComparer.Ordinal);

    /// <summary>
    /// The parameters this runner's phases optimised, so a method-trained slot trained in a phase keeps
    /// its promise; by object identity. Not by native handle: a phase's
    /// own model is disposed after it, and a slot component built later can get a tensor at the freed
    /// address, which made a learned estimator look "optimised by the method" now and then.
    /// </summary>
    internal HashSet<TorchSharp.Modules.Parameter> Optimised { get; } = new(ReferenceEqualityComparer.Instance);

    /// <summary>A runner for a plugin's tests: no checkpoints, no resume.</summary>
    public static Func<TrainingPhase, PhaseOutcome> InMemory(ILogger logger) => new PhaseRunner(logger) { Device = CPU }.Run;

    public PhaseOutcome Run(TrainingPhase phase)
    {
        if (!PhaseName().IsMatch(phase.Name))
            throw new ArgumentException($"phase name '{phase.Name}': use letters, digits and '-' (it names the phase's checkpoint folder)");
        if (!_ran.Add(phase.Name))
            throw new InvalidOperationException($"phase '{phase.Name}' ran twice in one Build; phase names must be unique");
        if (phase.Epochs < 0) throw new ArgumentException($"phase '{phase.Name}': {phase.Epochs} epochs");
        // A slot trained in a phase keeps its promise even when the user sets the phase's epochs to 0.
        foreach (var p in phase.Steps.SelectMany(s => s.Parameters)) Optimised.Add(p);
        if (phase.Epochs == 0) return new PhaseOutcome(0, new Dictionary<string, double>(), Restored: false);

        var runners = phase.Steps.Select(s => new StepRunner(s, RowUpdates)).ToList();
        try
        {
            return Loop(phase, runners);
        }
        finally
        {
            foreach (var r in runners) r.Dispose();
        }
    }

    private PhaseOutcome Loop(TrainingPhase phase, List<StepRunner> runners)
    {
        List<StepRunner> saved = [.. runners, .. Fits.Runners];
        var modules = new Dictionary<string, nn.Module>(phase.Modules, StringComparer.Ordinal);
        foreach (var (key, module) in Fits.Modules)
            if (!modules.Values.Contains(module)) modules[key] = module;
        var folder = CheckpointRoot is null ? null : new CheckpointFolder(Path.Combine(CheckpointRoot, "phase-" + phase.Name));
        var (perEpoch, perBatch) = ScheduledSteps.Split(runners);

        int first = 1;
        IReadOnlyDictionary<string, double> last = new Dictionary<string, double>();
        if (Resume && folder?.Latest() is { } snapshot)
        {
            var state = PhaseSnapshot.Restore(snapshot, Config, phase.Name, modules, saved, phase.States, Random);
            if (state.Finished)
            {
                logger.LogInformation("phase {Phase}: finished before ({Epochs} epochs); restored from {Checkpoint}", phase.Name, state.Epoch, snapshot);
                return new PhaseOutcome(state.Epoch, state.LastEpoch, Restored: true);
            }
            (first, last) = (state.Epoch + 1, state.LastEpoch);
            logger.LogInformation("phase {Phase}: resuming at epoch {Epoch} from {Checkpoint}", phase.Name, first, snapshot);
        }

        string? Snapshot(int epoch, bool finished) => folder?.Write(f => PhaseSnapshot.Write(f, modules, saved, phase.States, Random, new PhaseState
        {
            Config = Config, Phase = phase.Name, Epoch = epoch, Finished = finished,
            LastEpoch = new Dictionary<string, double>(last), Steps = saved.Select(r => r.Step.Name).ToList(),
        }));

        var sinceSnapshot = Stopwatch.StartNew();
        for (int epoch = first; epoch <= phase.Epochs; epoch++)
        {
            // Every epoch, as the main loop: a system may have switched a module to eval() for a validation.
            foreach (var module in modules.Values) module.train();
            if (Cancel.IsCancellationRequested)
            {
                var written = Snapshot(epoch - 1, finished: false);
                logger.LogInformation("stop requested: phase {Phase} checkpoint after epoch {Epoch} written to {Checkpoint}", phase.Name, epoch - 1, written);
                throw new TrainingInterrupted(epoch - 1, 0, written);
            }
            var losses = new EpochLosses();
            RunSystems(phase, Stage.BeforeEpoch, epoch, -1);
            ScheduledSteps.AtEpochStart(perEpoch, t => Batch(epoch, t, null), losses, Fits);

            var batches = phase.Batches(epoch);
            for (int b = 0; b < batches.Count; b++)
            {
                using var scope = NewDisposeScope();
                var batch = Batch(epoch, b, batches[b]);
                RunSystems(phase, Stage.BeforeBatch, epoch, b);
                ScheduledSteps.OnBatch(perBatch, batch, b, losses, Fits);
                RunSystems(phase, Stage.AfterBatch, epoch, b);
            }
            // Deferred row updates are due before anything outside the steps reads the tables.
            foreach (var r in saved) r.Settle();
            RunSystems(phase, Stage.AfterEpoch, epoch, -1);
            last = losses.Means();
            if (epoch == 1 || epoch % Math.Max(1, phase.LogEvery) == 0 || epoch == phase.Epochs)
                logger.LogInformation("phase {Phase} epoch {Epoch}/{Epochs}: {Losses}", phase.Name, epoch, phase.Epochs,
                    string.Join(" ", last.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}={kv.Value:G5}")));
            Progress?.PhaseEpochDone(phase.Name, epoch, phase.Epochs, last);
            if (epoch < phase.Epochs && phase.StopAfter?.Invoke(epoch) == true)
            {
                logger.LogInformation("phase {Phase}: stopped by the method after epoch {Epoch} of {Epochs}", phase.Name, epoch, phase.Epochs);
                Snapshot(epoch, finished: true);
                return new PhaseOutcome(epoch, last, Restored: false);
            }
            if (epoch < phase.Epochs && sinceSnapshot.Elapsed.TotalSeconds >= SnapshotSeconds)
            {
                Snapshot(epoch, finished: false);
                sinceSnapshot.Restart();
            }
        }
        Snapshot(phase.Epochs, finished: true);
        return new PhaseOutcome(phase.Epochs, last, Restored: false);
    }

    private TrainingBatch Batch(int epoch, int index, long[]? rows) => new()
    {
        Kind = BatchKind.Phase, Epoch = epoch, Index = index, GlobalBatch = index, Device = Device,
        Users = empty(0, dtype: ScalarType.Int64, device: Device),
        Indices = rows is null ? null : tensor(rows, device: Device),
    };

    private void RunSystems(TrainingPhase phase, Stage stage, int epoch, int batchIndex)
    {
        foreach (var system in phase.Systems)
        {
            if (system.Stage != stage) continue;
            if (stage is Stage.BeforeBatch or Stage.AfterBatch && batchIndex % system.EveryNBatches != 0) continue;
            system.Run(new StageContext { Epoch = epoch, BatchIndex = batchIndex, GlobalBatch = batchIndex, Device = Device });
        }
    }

    [GeneratedRegex("^[A-Za-z0-9-]+$")]
    private static partial Regex PhaseName();
}
