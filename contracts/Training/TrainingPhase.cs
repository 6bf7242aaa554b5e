using static TorchSharp.torch;

namespace Untangle.Contracts.Training;

/// <summary>
/// A training phase that must finish before the rest of a method can be built (DCID's and PAMD's
/// representation pretraining): the method describes it and calls <see cref="MethodContext.RunPhase"/>
/// from Build at the point where it needs the result, and the engine runs it as it runs the main loop:
/// epochs of the method's batches, steps per their schedules with NaN checks and engine-fitted slots,
/// systems at their stages, progress and log lines, and checkpoints. A run resumed after the phase
/// finished restores its modules, optimizers and random state instead of training it again; one
/// interrupted inside the phase continues from the phase's last epoch boundary.
/// </summary>
/// <remarks>
/// <para><b>Why from Build.</b> What comes after the phase (the frozen representation the recommender
/// reads, the recommender's own initial values) is made from its result and drawn from the same random
/// sources after it, so the phase runs where a method would have written its loop, and a resumed run
/// walks through Build in the same order.</para>
/// <para><b>Batches.</b> A phase's batches are row indices the method draws itself
/// (<see cref="Batches"/>, from <see cref="MethodContext.Random"/>, whose state the engine checkpoints);
/// a step reads them from <see cref="TrainingBatch.Indices"/>. A <see cref="Schedule.PerEpoch(int)"/>
/// step runs before the epoch's batches with <see cref="TrainingBatch.Indices"/> null (all rows).</para>
/// </remarks>
public sealed class TrainingPhase
{
    /// <summary>The phase's name: a log prefix, the loss terms' scope and the checkpoint folder (phase-NAME); letters, digits and '-'.</summary>
    public required string Name { get; init; }
    public required int Epochs { get; init; }
    /// <summary>The batches of one epoch (1-based), each a set of row indices; called once at the start of each epoch, after its PerEpoch steps.</summary>
    public required Func<int, IReadOnlyList<long[]>> Batches { get; init; }
    /// <summary>Steps in the order they run within a batch (EveryBatch, RepeatPerBatch, EveryNBatches or PerEpoch).</summary>
    public required IReadOnlyList<OptimizationStep> Steps { get; init; }
    /// <summary>Systems at their stages (BeforeEpoch, BeforeBatch, AfterBatch, AfterEpoch) within the phase.</summary>
    public IReadOnlyList<StageSystem> Systems { get; init; } = [];
    /// <summary>The modules the phase trains or changes: checkpointed with it, switched to train() while it runs (keys are file names).</summary>
    public required IReadOnlyDictionary<string, nn.Module> Modules { get; init; }
    /// <summary>State outside the modules that the phase changes and a resume must restore.</summary>
    public IReadOnlyList<CheckpointedState> States { get; init; } = [];
    /// <summary>A log line every this many epochs (and on the first and the last).</summary>
    public int LogEvery { get; init; } = 1;
    /// <summary>
    /// Asked after each epoch (after the AfterEpoch systems): true ends the phase there, finished (the
    /// method's own early stopping, e.g. on a validation it computes in an AfterEpoch system; keep its
    /// state in <see cref="States"/> and <see cref="Modules"/> so a resumed phase stops where this one would).
    /// </summary>
    public Func<int, bool>? StopAfter { get; init; }
}

/// <summary>What a phase left: the epochs it ran (or had run before a resume) and the last epoch's mean loss per step and recorded term.</summary>
public sealed record PhaseOutcome(int Epochs, IReadOnlyDictionary<string, double> LastEpoch, bool Restored);
