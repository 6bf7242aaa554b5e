namespace Untangle.Host.Training;

/// <summary>How an <see cref="ExperimentRun"/> runs beyond its configuration: resume or start afresh, where progress and epochs are reported.</summary>
public sealed record RunOptions
{
    /// <summary>Continue from the run folder's newest checkpoint (starting afresh when there is none); otherwise the folder's old checkpoints and epoch log are cleared first.</summary>
    public bool Resume { get; init; }
    public ITrainingProgress? Progress { get; init; }
    /// <summary>Called after each epoch, after the epoch log has the line.</summary>
    public Action<EpochRecord>? OnEpoch { get; init; }
    /// <summary>Called once on resume with the epochs the checkpoint had finished.</summary>
    public Action<IReadOnlyList<EpochRecord>>? OnResumed { get; init; }
}
