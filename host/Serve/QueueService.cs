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
/// the store. On start it first resumes what a previous server left in running/ (from the run's
/// newest checkpoint). A run that fails is marked failed with its error and the queue goes on. A
/// stop request (SIGTERM, Ctrl+C, systemd stop) lets the current step finish, checkpoints, marks the
/// run interrupted and leaves its file in running/ for the next start.
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
        var queue = new ExperimentQueue(settings.Queue);
        queue.Prepare();
        using var store = ExperimentStore.Open(settings.Store);
        var plugins = PluginsFile.Load(PluginsFile.Locate(settings.PluginsFile));
        var catalog = new PluginLoader(hostLoggers.CreateLogger("Untangle.Plugins")).Load(plugins.Plugins, [AppContext.BaseDirectory, plugins.Directory]);
        _log.LogInformation("serving {Queue}: experiment files dropped into {Incoming} run one at a time; store {Store}; results under {Runs}",
            queue.Root, queue.Incoming, store.Path, settings.Runs);

        using var arrived = new AutoResetEvent(false);
        using var watcher = queue.Watch(() => arrived.Set());
        foreach (var item in queue.Unfinished())
        {
            if (stop.IsCancellationRequested) return;
            _log.LogInformation("resuming {RunId}, left in {Running} by a previous server", item.RunId, queue.Running);
            Process(queue, store, plugins, catalog, item, resume: true, stop);
        }
        while (!stop.IsCancellationRequested)
        {
            var item = queue.Take();
            if (item is null)
            {
                if (settings.Drain)
                {
                    _log.LogInformation("queue empty: stopping (--drain)");
                    return;
                }
                WaitHandle.WaitAny([arrived, stop.WaitHandle], settings.Poll);
                continue;
            }
            Process(queue, store, plugins, catalog, item, resume: false, stop);
        }
    }

    private void Process(ExperimentQueue queue, ExperimentStore store, PluginsFile plugins, ComponentCatalog catalog, QueueItem item, bool resume, CancellationToken stop)
    {
        var folder = Path.Combine(settings.Runs, item.RunId);
        var row = store.Find(item.RunId);
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
        if (row is null) RecordedRun.Register(store, item.RunId, item.Experiment, folder, $"queue:{Path.GetFileName(item.Path)}");

        using var runLogger = Logging.ForServedRun(Log.Logger, folder, item.RunId, item.Experiment);
        using var loggers = new SerilogLoggerFactory(runLogger);
        var log = loggers.CreateLogger("Untangle.Serve");
        ResolvedExperiment experiment;
        try
        {
            experiment = Resolve(plugins, catalog, item, folder, resume);
        }
        catch (Exception e) when (e is not CorruptStoreException)
        {
            var message = FailureMessage.Describe(e);
            log.LogError("run {RunId} failed before training: {Error}", item.RunId, message);
            store.Fail(item.RunId, message);
            queue.Fail(item, message);
            state.Failed++;
            return;
        }

        log.LogInformation("run {RunId}: {Experiment} ({Method}), results in {Folder}", item.RunId, experiment.Name, experiment.MethodName, folder);
        var end = new RecordedRun(store, loggers).Execute(item.RunId, experiment, folder, new RunOptions { Resume = resume }, stop);
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
                log.LogInformation("run {RunId} stays in {Running}; the next serve resumes it", item.RunId, queue.Running);
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
