using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Serilog;
using Serilog.Core;
using Serilog.Extensions.Logging;
using Spectre.Console;
using Untangle.Host.Composition;
using Untangle.Host.Runs;
using Untangle.Host.Store;
using Untangle.Host.Training;

namespace Untangle.Host.Cli;

/// <summary>
/// `run [EXPERIMENT|FILE.json] [--set key=value]... [--config FILE] [--out DIR] [--store FILE]`:
/// resolves the experiment (failing before training on any unknown name), records it in the
/// experiment store, trains it inside the generic host — so Ctrl+C or SIGTERM stops it after the
/// current step with a checkpoint, exit code 0 — and prints the results table.
/// `run --resume RUN` continues a killed or interrupted run from its newest checkpoint.
/// </summary>
public static class RunCommand
{
    public static int Execute(CommandLine line)
    {
        using var store = ExperimentStore.Open(line.Store ?? CommandLine.DefaultStore);
        ResolvedExperiment experiment;
        string outFolder;
        StoredRun? existing = null;
        using (var bootLoggers = new SerilogLoggerFactory(Log.Logger))
        {
            var (file, catalog) = UntangleCommand.LoadPlugins(line, bootLoggers.CreateLogger("Untangle.Plugins"));
            if (line.Resume is not null)
            {
                (experiment, outFolder, existing) = ResumeTarget(line, store, catalog);
            }
            else
            {
                experiment = Resolve(line, file, catalog);
                outFolder = Path.GetFullPath(line.Out ?? Path.Combine("runs", experiment.Name, DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)));
            }
        }

        var runId = existing?.Id ?? ExperimentStore.NewRunId(experiment.Name);
        // The folder is this process's before anything is written into it (run.log included).
        using var claim = line.Resume is not null ? RunFolder.ClaimExisting(outFolder, runId)
            : line.Out is not null ? RunFolder.ClaimNew(outFolder, runId, "--out")
            : ClaimDefault(ref outFolder, runId);
        // config.json before the store's row: a run the store knows can always be resumed from its folder.
        new Results.RunResults(outFolder).WriteConfig(experiment);
        var console = new LoggingLevelSwitch();
        Log.Logger = Logging.ForRun(outFolder, console);
        if (existing is null) RecordedRun.Register(store, runId, experiment.Name, outFolder, "run");
        if (claim.TakenOverFrom is { } previous)
            Log.Information("taking over {Folder} from {Owner}, which is gone", outFolder, previous);
        Log.Information("run {RunId}: results go to {Folder}", runId, outFolder);

        // A progress bar when a person watches the terminal; plain log lines when output goes to a file or pipe.
        ITrainingProgress? progress = Console.IsOutputRedirected ? null : new TerminalProgress(AnsiConsole.Console, console);
        var job = new RunJob(runId, experiment, outFolder, store, new RunOptions { Resume = line.Resume is not null, Progress = progress, Claim = claim });
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSerilog(Log.Logger, dispose: false);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromMinutes(10)); // let the step in flight finish
        builder.Services.AddSingleton(job);
        builder.Services.AddHostedService<RunService>();
        using (var host = builder.Build())
            host.Run();

        if (!job.Ended.IsCompleted)
            throw new InvalidOperationException($"run {runId}: the host stopped before the run service reported how the run ended");
        var end = job.Ended.GetAwaiter().GetResult(); // rethrows a failure outside the run (the store) as it was
        switch (end.Status)
        {
            case RunStatus.Interrupted:
                Console.WriteLine($"{end.Message}");
                Console.WriteLine($"run {runId} is interrupted; continue it with: untangle run --resume {runId}");
                return 0;
            case RunStatus.Failed:
                throw new RunFailedException(end.Message!, end.Failure!);
        }
        PrintTable(end.Outcome!);
        Console.WriteLine($"run: {runId}");
        Console.WriteLine($"results: {outFolder}");
        return 0;
    }

    /// <summary>The default folder, runs/NAME/TIME; a second run started in the same second gets TIME-2, and so on.</summary>
    private static RunFolder ClaimDefault(ref string folder, string runId)
    {
        var first = folder;
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                return RunFolder.ClaimNew(folder, runId, "the run folder");
            }
            catch (ConfigurationException) when (attempt < 100)
            {
                folder = $"{first}-{attempt + 1}";
            }
        }
    }

    internal static ResolvedExperiment Resolve(CommandLine line, PluginsFile file, Plugins.ComponentCatalog catalog)
    {
        string name;
        IReadOnlyList<ConfigSource> sources;
        var target = line.Positional.FirstOrDefault();
        if (line.Positional.Count > 1) throw new UsageException($"run takes one experiment, got: {string.Join(" ", line.Positional)}");
        if (target is not null && target.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
        {
            if (!File.Exists(target)) throw new ConfigurationException($"{target}: experiment file not found");
            (name, sources) = ExperimentFile.Read(target, file);
        }
        else
        {
            name = target ?? file.DefaultExperiment ?? throw new ConfigurationException($"{file.Path} names no default experiment; pass one: {string.Join(", ", file.Experiments.Keys)}");
            sources = [file.Experiment(name)];
        }
        List<ConfigSource> layers = [.. sources, .. line.Layers()];
        return new ExperimentResolver(catalog).Resolve(name, layers);
    }

    /// <summary>
    /// --resume RUN: a run folder (holding config.json), or a run id or id prefix in the store. The
    /// experiment is resolved from the folder's config.json, so it is the run's own configuration.
    /// </summary>
    private static (ResolvedExperiment, string Folder, StoredRun?) ResumeTarget(CommandLine line, ExperimentStore store, Plugins.ComponentCatalog catalog)
    {
        if (line.Positional.Count > 0 || line.Sets.Count > 0 || line.ConfigFile is not null || line.Out is not null)
            throw new UsageException("run --resume RUN continues the run with its own configuration and folder; drop the experiment, --set, --config and --out");
        var target = line.Resume!;
        string folder;
        StoredRun? stored;
        if (File.Exists(Path.Combine(target, "config.json")))
        {
            folder = Path.GetFullPath(target);
            stored = store.FindByFolder(folder);
        }
        else
        {
            stored = store.Resolve(target);
            folder = stored.Folder;
        }
        if (stored is { Status: RunStatus.Finished })
            throw new ConfigurationException($"run {stored.Id} already finished; its results are in {stored.Folder}");
        var (name, source) = SavedConfiguration.Read(Path.Combine(folder, "config.json"));
        return (new ExperimentResolver(catalog).Resolve(name, [source]), folder, stored);
    }

    private static void PrintTable(RunOutcome outcome)
    {
        var names = outcome.Test.Keys.ToList();
        int width = Math.Max(10, names.Max(n => n.Length));
        Console.WriteLine($"{"metric".PadRight(width)}  {"validation",10}  {"test",10}  {"± s.e.",8}  users");
        foreach (var n in names)
        {
            var valid = outcome.Training.Validation.TryGetValue(n, out var v) ? v.Mean.ToString("F5", CultureInfo.InvariantCulture) : "-";
            var t = outcome.Test[n];
            Console.WriteLine($"{n.PadRight(width)}  {valid,10}  {t.Mean.ToString("F5", CultureInfo.InvariantCulture),10}  {t.StandardError.ToString("F5", CultureInfo.InvariantCulture),8}  {t.Users}");
        }
        Console.WriteLine($"best epoch: {outcome.Training.BestEpoch}");
    }
}
