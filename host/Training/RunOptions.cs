namespace Untangle.Host.Training;

/// <summary>How an <see cref="ExperimentRun"/> runs beyond its configuration: resume or start afresh, where progress and epochs are reported.</summary>
public sealed record RunOptions
{
    /// <summary>Continue from the run folder's newest checkpoint (starting afresh when there is none); otherwise the folder's old checkpoints and epoch log are cleared first.</summary>
    public bool Resume { get; init; }
    public ITrainingProgress? Progress { get; init; }
    /// <summary>Who else records the run's epochs (the experiment store), told after the results folder's epoch log.</summary>
    public IReadOnlyList<Untangle.Host.Runs.IRunObserver> Observers { get; init; } = [];
}
