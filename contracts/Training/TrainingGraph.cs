using TorchSharp;
using static TorchSharp.torch;

namespace Untangle.Contracts.Training;

/// <summary>
/// A method's training as data: named optimisation steps run in declared order, systems at stages,
/// and a scorer. The engine owns batching, devices, dispose scopes, NaN checks, evaluation,
/// early stopping and checkpoints.
/// </summary>
public sealed record TrainingGraph
{
    /// <summary>Optimisation steps in the order they run within a batch (an empty list: nothing to train, as MostPopular).</summary>
    public required IReadOnlyList<OptimizationStep> Steps { get; init; }
    public IReadOnlyList<StageSystem> Systems { get; init; } = [];
    public required IScorer Scorer { get; init; }
    /// <summary>Modules whose state is checkpointed (keys are file names) and switched between train() and eval().</summary>
    public required IReadOnlyDictionary<string, nn.Module> Modules { get; init; }
    /// <summary>Analyses run once after the test evaluation on the restored best model; each result is written to metrics.json under its name.</summary>
    public IReadOnlyList<RunAnalysis> Analyses { get; init; } = [];
    /// <summary>
    /// The representations the trained model hands out (users' codes, item embeddings), for analyses
    /// that work on any method: the disentanglement lab scores every user representation against the
    /// data set's <see cref="Untangle.Contracts.Data.UserFactorTruth"/> when it has one.
    /// </summary>
    public IReadOnlyList<Representation> Representations { get; init; } = [];
    /// <summary>
    /// State a method keeps outside its modules' parameters and buffers (a counter in a closure, a
    /// graph rebuilt every T batches) that must survive a resume from a checkpoint. The engine saves
    /// each with every checkpoint and restores it after <see cref="Untangle.Contracts.Components.IMethod.Build"/> when a run resumes.
    /// Module state, optimizer state, the torch RNG and <see cref="MethodContext.Random"/> are
    /// checkpointed by the engine already.
    /// </summary>
    public IReadOnlyList<CheckpointedState> States { get; init; } = [];
}

/// <summary>
/// A piece of method state saved with each checkpoint as text (e.g. JSON) and restored on resume.
/// <paramref name="Name"/> must be unique within the graph; it is the key in the checkpoint.
/// </summary>
public sealed record CheckpointedState(string Name, Func<string> Save, Action<string> Restore);

/// <summary>
/// A measurement a method reports with the run's metrics, computed once on the best model in eval
/// mode under no_grad (e.g. "disentanglement": NMI and ARI of learned prototypes against true categories).
/// </summary>
public sealed record RunAnalysis(string Name, Func<IReadOnlyDictionary<string, double>> Compute);

/// <summary>When an optimisation step runs.</summary>
public enum ScheduleKind { EveryBatch, EveryNBatches, RepeatPerBatch, PerEpoch }

/// <summary>A step's schedule; <see cref="Times"/> is N (every N batches) or the repeat count.</summary>
public sealed record Schedule(ScheduleKind Kind, int Times)
{
    public static Schedule EveryBatch { get; } = new(ScheduleKind.EveryBatch, 1);
    /// <summary>On every n-th main batch (counted over the whole run).</summary>
    public static Schedule EveryNBatches(int n) => new(ScheduleKind.EveryNBatches, Positive(n));
    /// <summary>k times on each batch, before the steps declared after it (a WGAN critic's k updates).</summary>
    public static Schedule RepeatPerBatch(int k) => new(ScheduleKind.RepeatPerBatch, Positive(k));
    /// <summary>n times at the start of each epoch on a full-graph batch (FairMI's per-epoch CLUB fit).</summary>
    public static Schedule PerEpoch(int n) => new(ScheduleKind.PerEpoch, Positive(n));

    private static int Positive(int n) => n > 0 ? n : throw new ArgumentOutOfRangeException(nameof(n), "a schedule count must be positive");
}

/// <summary>An optimizer by name, built by the engine over a step's parameters.</summary>
public sealed record OptimizerSpec(string Kind, double LearningRate, double WeightDecay = 0)
{
    /// <summary>Adam's (β1, β2); (0.9, 0.999) unless a step asks otherwise (a WGAN-GP critic uses (0.5, 0.9)).</summary>
    public (double Beta1, double Beta2) Betas { get; init; } = (0.9, 0.999);

    public static OptimizerSpec Adam(double learningRate, double weightDecay = 0) => new("adam", learningRate, weightDecay);
    public static OptimizerSpec Adam(double learningRate, (double Beta1, double Beta2) betas, double weightDecay = 0) =>
        new("adam", learningRate, weightDecay) { Betas = betas };
    public static OptimizerSpec Sgd(double learningRate, double weightDecay = 0) => new("sgd", learningRate, weightDecay);
    public static OptimizerSpec Adagrad(double learningRate, double weightDecay = 0) => new("adagrad", learningRate, weightDecay);
}

/// <summary>One optimisation step: a loss over some parameters, with its own optimizer and schedule.</summary>
public sealed class OptimizationStep
{
    public required string Name { get; init; }
    public required IReadOnlyList<TorchSharp.Modules.Parameter> Parameters { get; init; }
    public required Func<StepContext, Tensor> Loss { get; init; }
    public Schedule Schedule { get; init; } = Schedule.EveryBatch;
    public required OptimizerSpec Optimizer { get; init; }
    /// <summary>Clip the gradient's global norm before the update (null: no clipping).</summary>
    public double? ClipGradNorm { get; init; }
    /// <summary>
    /// Embedding tables this step's loss reads by row through <see cref="RowTable.Select"/>; the engine
    /// applies <c>train.row_updates</c> to them (lazy: only the rows read take an optimizer step).
    /// Their parameters must be among <see cref="Parameters"/>.
    /// </summary>
    public IReadOnlyList<RowTable> Tables { get; init; } = [];
}

/// <summary>What a step's loss function sees.</summary>
public sealed class StepContext
{
    private readonly Action<string, double> _record;

    public StepContext(TrainingBatch batch, Action<string, double> record)
    {
        Batch = batch;
        _record = record;
    }

    public TrainingBatch Batch { get; }

    /// <summary>Records a loss term for the epoch log (averaged over the epoch).</summary>
    public void Record(string term, Tensor value) => _record(term, value.detach().cpu().item<float>());
    public void Record(string term, double value) => _record(term, value);
}

/// <summary>The engine's update stages, as in a game engine's frame.</summary>
public enum Stage { BeforeEpoch, BeforeBatch, AfterBatch, AfterEpoch }

/// <summary>A system the engine runs at a stage (a graph rebuild, annealing, logging...).</summary>
public sealed record StageSystem(string Name, Stage Stage, Action<StageContext> Run)
{
    /// <summary>For batch stages: run on every n-th main batch only.</summary>
    public int EveryNBatches { get; init; } = 1;
}

public sealed class StageContext
{
    public required int Epoch { get; init; }
    public required int BatchIndex { get; init; }
    public required long GlobalBatch { get; init; }
    public required Device Device { get; init; }

    /// <summary>
    /// Records a value for the epoch log beside the loss terms (averaged over the epoch's records, so an
    /// AfterEpoch system's one value is the epoch's): a diagnostic measured as training goes, such as
    /// FairMI's per-epoch attacker AUC. Where the engine keeps no epoch log (a pretraining phase) it is dropped.
    /// </summary>
    public Action<string, double> Record { get; init; } = static (_, _) => { };
}
