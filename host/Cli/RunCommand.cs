using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Serilog;
using Serilog.Extensions.Logging;
using Untangle.Host.Composition;
using Untangle.Host.Training;

namespace Untangle.Host.Cli;

/// <summary>
/// `run [EXPERIMENT|FILE.json] [--set key=value]... [--config FILE] [--out DIR]`: resolves the
/// experiment (failing before training on any unknown name), then trains it inside the generic host
/// so Ctrl+C or a service stop cancels between batches, and prints the results table.
/// </summary>
public static class RunCommand
{
    public static int Execute(CommandLine line)
    {
        ResolvedExperiment experiment;
        using (var bootLoggers = new SerilogLoggerFactory(Log.Logger))
        {
            var (file, catalog) = UntangleCommand.LoadPlugins(line, bootLoggers.CreateLogger("Untangle.Plugins"));
            experiment = Resolve(line, file, catalog);
        }

        var outFolder = Path.GetFullPath(line.Out ?? Path.Combine("runs", experiment.Name, DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)));
        Log.Logger = Logging.ForRun(outFolder);
        Log.Information("results go to {Folder}", outFolder);

        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSerilog(Log.Logger, dispose: false);
        var job = new RunJob(experiment, outFolder);
        builder.Services.AddSingleton(job);
        builder.Services.AddHostedService<RunService>();
        using (var host = builder.Build())
            host.Run();

        if (job.Failure is not null) throw job.Failure;
        PrintTable(job.Outcome!);
        Console.WriteLine($"results: {outFolder}");
        return 0;
    }

    internal static ResolvedExperiment Resolve(CommandLine line, PluginsFile file, Plugins.ComponentCatalog catalog)
    {
        string name;
        ConfigSource source;
        var target = line.Positional.FirstOrDefault();
        if (line.Positional.Count > 1) throw new UsageException($"run takes one experiment, got: {string.Join(" ", line.Positional)}");
        if (target is not null && target.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
        {
            source = ConfigSource.FromFile(target);
            name = Path.GetFileNameWithoutExtension(target);
        }
        else
        {
            name = target ?? file.DefaultExperiment ?? throw new ConfigurationException($"{file.Path} names no default experiment; pass one: {string.Join(", ", file.Experiments.Keys)}");
            source = file.Experiment(name);
        }
        var layers = new List<ConfigSource> { source };
        if (line.ConfigFile is not null) layers.Add(ConfigSource.FromFile(line.ConfigFile));
        if (line.Sets.Count > 0) layers.Add(ConfigSource.FromAssignments(line.Sets));
        return new ExperimentResolver(catalog).Resolve(name, layers);
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

/// <summary>The experiment a <see cref="RunService"/> runs, and what came of it.</summary>
public sealed class RunJob(ResolvedExperiment experiment, string outFolder)
{
    public ResolvedExperiment Experiment { get; } = experiment;
    public string OutFolder { get; } = outFolder;
    public RunOutcome? Outcome { get; set; }
    public Exception? Failure { get; set; }
}

/// <summary>Runs one experiment as a hosted service and stops the application when it is done.</summary>
public sealed class RunService(RunJob job, ILoggerFactory loggers, IHostApplicationLifetime lifetime) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            // Training runs on one dedicated thread: TorchSharp dispose scopes are per thread.
            job.Outcome = await Task.Factory.StartNew(
                () => new ExperimentRun(loggers).Execute(job.Experiment, job.OutFolder, stoppingToken),
                stoppingToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }
        catch (Exception e)
        {
            job.Failure = e;
        }
        finally
        {
            lifetime.StopApplication();
        }
    }
}
