using Microsoft.Extensions.Logging;
using Untangle.Host.Composition;
using Untangle.Host.Store;
using Untangle.Host.Training;

namespace Untangle.Host.Runs;

/// <summary>
/// Runs an experiment whose life is recorded in the experiment store: configuration and status
/// before it trains, every epoch as it ends, and then finished (final metrics, files), interrupted
/// (stopped on request with a checkpoint) or failed (with the one-line error). `run` and `serve`
/// both run experiments through it.
/// </summary>
public sealed class RecordedRun(ExperimentStore store, ILoggerFactory loggers)
{
    private readonly ILogger _log = loggers.CreateLogger("Untangle.Run");

    /// <summary>The run's row, status running, before anything else is known (<paramref name="source"/>: "run" or "queue:FILE").</summary>
    public static void Register(ExperimentStore store, string runId, string experiment, string folder, string source) =>
        store.Insert(new StoredRun
        {
            Id = runId, Experiment = experiment, Status = RunStatus.Running, Folder = folder, Source = source,
            CreatedAt = DateTimeOffset.UtcNow, SourceRevision = SourceRevision.Current,
        });

    /// <summary>The run's row must exist (status running); see <see cref="Register"/>.</summary>
    public RunEnd Execute(string runId, ResolvedExperiment experiment, string folder, RunOptions options, CancellationToken cancel)
    {
        store.Configure(runId, experiment);
        store.MarkRunning(runId, options.Resume);
        try
        {
            var outcome = new ExperimentRun(loggers).Execute(experiment, folder, cancel,
                options with { Observers = [new StoredEpochs(store, runId), .. options.Observers] });
            store.Finish(runId, outcome);
            _log.LogInformation("run {RunId} finished", runId);
            return new RunEnd(RunStatus.Finished, outcome, null, null);
        }
        catch (TrainingInterrupted e)
        {
            var message = Recorded(() => store.Interrupt(runId, e.Message), e.Message);
            _log.LogInformation("run {RunId} {Message}", runId, message);
            return new RunEnd(RunStatus.Interrupted, null, e, message);
        }
        catch (OperationCanceledException e) when (cancel.IsCancellationRequested)
        {
            // Stopped before training began: nothing to checkpoint, the run starts afresh when resumed.
            var message = Recorded(() => store.Interrupt(runId, Unstarted), Unstarted);
            _log.LogInformation("run {RunId} {Message}", runId, message);
            return new RunEnd(RunStatus.Interrupted, null, e, message);
        }
        catch (Exception e) when (e is not CorruptStoreException)
        {
            var message = FailureMessage.Describe(e, options.QuoteData);
            // A full disk or a store that cannot be written stops the run, but its checkpoint is intact.
            if (e is WriteFailedException or StoreUnavailableException && new Training.Checkpoints.CheckpointFolder(new Results.RunResults(folder).CheckpointFolder).HasSnapshot)
                message += $"; the last checkpoint is intact: once that is fixed, continue with: untangle run --resume {folder}";
            // Detail only: the command line prints the one-line error itself (serve's sinks show it).
            using (_log.BeginScope(new Dictionary<string, object> { [Cli.Logging.DetailOnly] = true }))
                _log.LogError(e, "run {RunId} failed: {Error}", runId, message);
            message = Recorded(() => store.Fail(runId, message), message);
            return new RunEnd(RunStatus.Failed, null, e, message);
        }
    }

    private const string Unstarted = "interrupted before training began";

    /// <summary>Records how the run ended; when the store cannot take it (a full disk), the message says so instead of hiding the first error behind the second.</summary>
    private static string Recorded(Action record, string message)
    {
        try
        {
            record();
            return message;
        }
        catch (StoreUnavailableException e)
        {
            return $"{message} (not recorded: {e.Message})";
        }
    }
}
