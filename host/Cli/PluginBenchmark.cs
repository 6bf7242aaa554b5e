using System.Globalization;
using Serilog;
using Serilog.Extensions.Logging;
using Untangle.Contracts.Components;
using Untangle.Contracts.Settings;
using Untangle.Host.Composition;
using Untangle.Host.Training;

namespace Untangle.Host.Cli;

/// <summary>`bench NAME` for a benchmark a plugin exports: options from --set, seeds from --seeds, files under --out.</summary>
internal static class PluginBenchmark
{
    public static int Execute(CommandLine line, string name, IBenchmark benchmark)
    {
        var given = ConfigSource.FromAssignments(line.Sets).Values;
        var device = given.TryGetValue("device", out var d) ? d : "auto";
        var options = SettingValues.Resolve($"bench {name}", benchmark.Options, given.Where(kv => kv.Key != "device").ToDictionary());
        var root = Path.GetFullPath(line.Out ?? Path.Combine("runs", "bench", name, DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)));
        Log.Logger = Logging.ForRun(root);
        using var loggers = new SerilogLoggerFactory(Log.Logger);
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };
        benchmark.Run(new BenchmarkContext
        {
            Options = options,
            Seeds = line.Seeds is null ? [1, 2, 3] : Benchmark.ParseSeeds(line.Seeds),
            Device = Devices.Resolve(device),
            OutFolder = root,
            Output = Console.Out,
            Logger = loggers.CreateLogger($"Untangle.Bench.{name}"),
            Cancel = cancel.Token,
        });
        Console.WriteLine($"results: {root}");
        return 0;
    }
}
