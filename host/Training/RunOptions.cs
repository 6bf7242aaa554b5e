namespace Untangle.Host.Training;

/// <summary>How an <see cref="ExperimentRun"/> runs beyond its configuration: resume or start afresh, where progress and epochs are reported.</summary>
public sealed record RunOptions
{
    /// <summary>Continue from the run folder's newest checkpoint (starting afresh when there is none); otherwise the folder must hold no other run's files.</summary>
    public bool Resume { get; init; }
    /// <summary>
    /// The claim on the run folder the caller already holds (run and serve take it before the run's
    /// log file opens); null: the run claims its folder itself and releases it when it ends.
    /// </summary>
    public Untangle.Host.Runs.RunFolder? Claim { get; init; }
    /// <summary>Whether a failure's message may quote a data file's text (not for serve: its queue's writers need not be able to read the data).</summary>
    public bool QuoteData { get; init; } = true;
    public ITrainingProgress? Progress { get; init; }
    /// <summary>Who else records the run's epochs (the experiment store), told after the results folder's epoch log.</summary>
    public IReadOnlyList<Untangle.Host.Runs.IRunObserver> Observers { get; init; } = [];
}
