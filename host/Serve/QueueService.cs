using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Serilog;
using Serilog.Extensions.Logging;
using Untangle.Host.Cli;
using Untangle.Host.Composition;
using Untangle.Host.Plugins;
using Untangle.Host.Runs;
using Untangle.Host.Store;
using Untangle.Host.Training;

namespace Untangle.Host.Serve;

/// <summary>
/// `serve`'s worker: takes experiment files from the queue one at a time and runs each, recorded in
/// the store. Before each new file it resumes what a stopped or dead server left in running/ (from
/// the run's newest checkpoint); several servers can share one queue (<see cref="ExperimentQueue"/>).
/// A run that fails is marked failed with its error and the queue goes on. A stop request (SIGTERM,
/// Ctrl+C, systemd stop) lets the current step finish, checkpoints, marks the run interrupted and
/// leaves its file in running/ for the next server to look.
/// </summary>
public sealed class QueueService(ServeSettings settings, ServeState state, ILoggerFactory hostLoggers, IHostApplicationLifetime lifetime) : BackgroundService
{
    private readonly Microsoft.Extensions.Logging.ILogger _log = hostLoggers.CreateLogger("Untangle.Serve");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            // One dedicated thread for the whole queue: TorchSharp dispose scopes are per thread.
            await Task.Factory.StartNew(() => Serve(stoppingToken), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }
        catch (Exception e)
        {
            state.Fatal = e;
        }
        finally
        {
            lifetime.StopApplication();
        }
    }

    private void Serve(CancellationToken stop)
    {
        var queue = new ExperimentQueue(settings.Queue, settings.MaxExperimentBytes);
        queue.Prepare();
        using var store = ExperimentStore.Open(settings.Store);
        var plugins = PluginsFile.Load(PluginsFile.Locate(settings.PluginsFile));
        var catalog = new PluginLoader(hostLoggers.CreateLogger("Untangle.Plugins")).Load(PluginFolder.All(plugins.Plugins, settings.PluginDirs), [AppContext.BaseDirectory, plugins.Directory]);
        var roots = DataRoots.Of(settings.DataRoots, plugins);
        _log.LogInformation("serving {Queue}: experiment files dropped into {Incoming} run one at a time; store {Store}; results under {Runs}; data read from {Roots}",
            queue.Root, queue.Incoming, store.Path, settings.Runs, roots);

        using var arrived = new AutoResetEvent(false);
        using var watcher = queue.Watch(() => arrived.Set());
        // Items left in running/ whose run folder another process holds (a `run --resume` of it): looked at again after a wait.
        var deferred = new HashSet<string>(StringComparer.Ordinal);
        while (!stop.IsCancellationRequested)
        {
            // What a stopped or dead server left comes first, then new files.
            var item = queue.TakeUnfinished(deferred.Contains);
            var resume = item is not null;
            if (item is not null)
                _log.LogInformation("resuming {RunId}, left in {Running} by a server that stopped or died", item.RunId, queue.Running);
            item ??= queue.Take();
            if (item is null)
            {
                if (settings.Drain)
                {
                    _log.LogInformation("queue empty: stopping (--drain){Deferred}", deferred.Count == 0 ? "" : $"; left to their owners: {string.Join(", ", deferred)}");
                    return;
                }
                deferred.Clear();
                WaitHandle.WaitAny([arrived, stop.WaitHandle], settings.Poll);
                continue;
            }
            Process(queue, store, plugins, catalog, roots, item, resume, deferred, stop);
        }
    }

    private void Process(ExperimentQueue queue, ExperimentStore store, PluginsFile plugins, ComponentCatalog catalog, DataRoots roots,
        QueueItem item, bool resume, HashSet<string> deferred, CancellationToken stop)
    {
        var folder = Path.Combine(settings.Runs, item.RunId);
        var row = store.Find(item.RunId);
        // Fails the item before training: its row (registered if it has none yet), failed/ with the message beside it.
        void FailBefore(string message, Microsoft.Extensions.Logging.ILogger log)
        {
            log.LogError("run {RunId} failed before training: {Error}", item.RunId, message);
            if (store.Find(item.RunId) is null) RecordedRun.Register(store, item.RunId, item.Experiment, folder, $"queue:{Path.GetFileName(item.Path)}");
            store.Fail(item.RunId, message);
            queue.Fail(item, message);
            state.Failed++;
        }

        if (item.Refusal is { } refusal)
        {
            FailBefore(refusal, _log); // never opened: moved to failed/ as it is
            return;
        }
        // A previous server may have died between recording the end and moving the file.
        if (row is { Status: RunStatus.Finished })
        {
            queue.Complete(item);
            return;
        }
        if (row is { Status: RunStatus.Failed })
        {
            queue.Fail(item, row.Error ?? "failed");
            return;
        }

        RunFolder claim;
        try
        {
            claim = resume ? RunFolder.ClaimExisting(folder, item.RunId) : RunFolder.ClaimNew(folder, item.RunId, "serve's run folder");
        }
        catch (ConfigurationException e) when (resume)
        {
            _log.LogWarning("{RunId} stays in {Running}: {Reason}", item.RunId, queue.Running, e.Message);
            ExperimentQueue.Leave(item);
            deferred.Add(item.RunId);
            return;
        }
        catch (ConfigurationException e)
        {
            FailBefore(e.Message, _log);
            return;
        }
        using var owned = claim;
        if (row is null) RecordedRun.Register(store, item.RunId, item.Experiment, folder, $"queue:{Path.GetFileName(item.Path)}");

        using var runLogger = Logging.ForServedRun(Log.Logger, folder, item.RunId, item.Experiment);
        using var loggers = new SerilogLoggerFactory(runLogger);
        var log = loggers.CreateLogger("Untangle.Serve");
        if (claim.TakenOverFrom is { } previous)
            log.LogInformation("taking over {Folder} from {Owner}, which is gone", folder, previous);
        ResolvedExperiment experiment;
        try
        {
            experiment = Resolve(plugins, catalog, item, folder, resume);
            roots.Check(experiment.DatasetPath);
        }
        catch (Exception e) when (e is not CorruptStoreException)
        {
            FailBefore(FailureMessage.Describe(e, quoteData: false), log);
            return;
        }

        log.LogInformation("run {RunId}: {Experiment} ({Method}), results in {Folder}", item.RunId, experiment.Name, experiment.MethodName, folder);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(stop);
        if (settings.MaxRunTime is { } most) limit.CancelAfter(most);
        var end = new RecordedRun(store, loggers).Execute(item.RunId, experiment, folder,
            new RunOptions { Resume = resume, Claim = claim, QuoteData = false }, limit.Token);
        if (end.Status == RunStatus.Interrupted && !stop.IsCancellationRequested)
        {
            // Stopped by the wall-clock limit, not by a stop request: a failure, or the next look at running/ would resume it forever.
            var message = FormattableString.Invariant($"stopped after {settings.MaxRunTime!.Value.TotalMinutes:0.##} minutes, serve's limit (Untangle:Serve:MaxRunMinutes); ")
                + $"{end.Message}; continue it with: untangle run --resume {folder}";
            store.Fail(item.RunId, message);
            end = end with { Status = RunStatus.Failed, Message = message };
        }
        switch (end.Status)
        {
            case RunStatus.Finished:
                queue.Complete(item);
                state.Finished++;
                break;
            case RunStatus.Failed:
                queue.Fail(item, end.Message!);
                state.Failed++;
                break;
            default:
                log.LogInformation("run {RunId} stays in {Running}; the next server to look there resumes it", item.RunId, queue.Running);
                ExperimentQueue.Leave(item);
                state.Interrupted++;
                break;
        }
    }

    /// <summary>A resumed run is rebuilt from its own config.json when it wrote one; otherwise from the queue file.</summary>
    private static ResolvedExperiment Resolve(PluginsFile plugins, ComponentCatalog catalog, QueueItem item, string folder, bool resume)
    {
        var saved = Path.Combine(folder, "config.json");
        if (resume && File.Exists(saved))
        {
            var (name, source) = SavedConfiguration.Read(saved);
            return new ExperimentResolver(catalog).Resolve(name, [source]);
        }
        var (experiment, layers) = ExperimentFile.Read(item.Path, plugins, item.Experiment);
        return new ExperimentResolver(catalog).Resolve(experiment, layers);
    }
}
