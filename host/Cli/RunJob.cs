using Untangle.Host.Composition;
using Untangle.Host.Runs;
using Untangle.Host.Store;
using Untangle.Host.Training;

namespace Untangle.Host.Cli;

/// <summary>The run a <see cref="RunService"/> trains (recorded in the store under <see cref="RunId"/>), and, once it is over, how it ended.</summary>
public sealed class RunJob(string runId, ResolvedExperiment experiment, string outFolder, ExperimentStore store, RunOptions options)
{
    public string RunId { get; } = runId;
    public ResolvedExperiment Experiment { get; } = experiment;
    public string OutFolder { get; } = outFolder;
    public ExperimentStore Store { get; } = store;
    public RunOptions Options { get; } = options;
    private readonly TaskCompletionSource<RunEnd> _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>
    /// How the run ended; faulted with a failure outside the run itself (the store), which the command
    /// line reports. Completed once, by the service.
    /// </summary>
    public Task<RunEnd> Ended => _ended.Task;

    internal void Complete(RunEnd end) => _ended.SetResult(end);
    internal void Fail(Exception failure) => _ended.SetException(failure);
}
