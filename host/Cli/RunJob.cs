using Untangle.Host.Composition;
using Untangle.Host.Runs;
using Untangle.Host.Store;
using Untangle.Host.Training;

namespace Untangle.Host.Cli;

/// <summary>The run a <see cref="RunService"/> trains (recorded in the store under <see cref="RunId"/>), and how it ended.</summary>
public sealed class RunJob(string runId, ResolvedExperiment experiment, string outFolder, ExperimentStore store, RunOptions options)
{
    public string RunId { get; } = runId;
    public ResolvedExperiment Experiment { get; } = experiment;
    public string OutFolder { get; } = outFolder;
    public ExperimentStore Store { get; } = store;
    public RunOptions Options { get; } = options;
    public RunEnd? End { get; set; }
    /// <summary>A failure outside the run itself (the store), which the command line reports.</summary>
    public Exception? Failure { get; set; }
}
