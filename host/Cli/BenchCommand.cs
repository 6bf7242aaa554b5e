using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Serilog;
using Serilog.Extensions.Logging;
using Untangle.Contracts.Components;
using Untangle.Host.Composition;
using Untangle.Host.Disentanglement;
using Untangle.Host.Tasks;
using Untangle.Host.Training;

namespace Untangle.Host.Cli;

/// <summary>
/// `bench NAME [--seeds ...] [--experiments a,b] [--set key=value]...`: runs each experiment of a plugins.json benchmark
/// once per seed (the --set overrides apply to all of them, e.g. a data set), then prints every test
/// metric as mean ± standard error over seeds, seconds per training epoch, and the reference numbers
/// where the benchmark gives them; with a "baseline" experiment, also each experiment's paired
/// difference from it (seed by seed, so on the same split). Writes bench.json and every run's folder under DIR.
/// With --executor local|slurm|kubernetes each (experiment, seed) is instead one task of a plan in DIR
/// (<see cref="PlanExecution"/>), recorded in the store, and `bench --collect DIR` tabulates what finished.
/// </summary>
public static class BenchCommand
{
    public static int Execute(CommandLine line)
    {
        if (line.Collect is not null)
        {
            return Collect(line, PlanCommands.Submitted(line, "bench"));
        }
        if (line.Positional.Count != 1) throw new UsageException("bench takes one benchmark name");
        var name = line.Positional[0];
        List<(string Experiment, int Seed, ResolvedExperiment Resolved)> plan;
        Benchmark bench;
        Plugins.ComponentCatalog components;
        using (var bootLoggers = new SerilogLoggerFactory(Log.Logger))
        {
            var (file, catalog) = UntangleCommand.LoadPlugins(line, bootLoggers.CreateLogger("Untangle.Plugins"));
            if (!file.Benchmarks.TryGetValue(name, out var b))
            {
                if (catalog.TryGet(ComponentKind.Benchmark, name, out var plugin))
                    return PluginBenchmark.Execute(line, name, (IBenchmark)plugin.Part);
                if (name == Perf.PerfBench.Name)
                {
                    if (line.Executor is not null) throw new UsageException("bench perf measures this machine; it takes no --executor");
                    if (line.Seeds is not null) throw new UsageException("bench perf times one seed's runs; it takes no --seeds");
                    if (line.Experiments is not null) throw new UsageException("bench perf times generated data, not experiments; it takes no --experiments (choose methods with --set methods=...)");
                    if (line.ConfigFile is not null) throw new UsageException("bench perf takes its options from --set key=value (untangle show perf), not --config");
                    return Perf.PerfBench.Execute(line);
                }
                throw new ConfigurationException(
                    $"unknown benchmark '{name}'; benchmarks: {string.Join(", ", file.Benchmarks.Keys.Concat(catalog.Names(ComponentKind.Benchmark)).Append(Perf.PerfBench.Name).Order())}");
            }
            bench = line.Experiments is null ? b : b.Only(line.Experiments);
            components = catalog;
            var seeds = line.Seeds is null ? bench.Seeds : Benchmark.ParseSeeds(line.Seeds);
            var resolver = new ExperimentResolver(catalog);
            // Resolve everything first: a typo fails before the first run starts.
            plan = (from experiment in bench.Experiments
                    from seed in seeds
                    select (experiment, seed, resolver.Resolve(experiment, Layers(line, file.Experiment(experiment), seed)))).ToList();
        }

        var root = Path.GetFullPath(line.Out ?? Path.Combine("runs", "bench", name, DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)));
        if (line.Executor is not null)
        {
            var tasks = plan.Select((p, i) => new TaskSpec(i, p.Experiment, p.Seed, [], Path.Combine(p.Experiment, $"seed-{p.Seed}"))).ToList();
            return PlanCommands.Execute(line, PlanCommands.NewPlan(line, "bench", name, root, tasks), plan => Collect(line, plan));
        }
        Runs.OutputFolder.Ensure(root, line.Out is null ? "the bench folder" : "--out", "the benchmark's runs and tables");
        // Every run's folder must be new: refused before anything is written, not after the first runs.
        foreach (var (experiment, seed, _) in plan)
            if (Runs.RunFolder.Existing(Path.Combine(root, experiment, $"seed-{seed}")) is { } files)
                throw new ConfigurationException($"{(line.Out is null ? "the bench folder" : "--out")} {root}: {experiment}/seed-{seed} holds an earlier run's files ({files}); choose a new folder");
        Log.Logger = Logging.ForRun(root);
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };
        using var loggers = new SerilogLoggerFactory(Log.Logger);

        var cells = new List<BenchCell>();
        var failed = new List<string>();
        foreach (var (experiment, seed, resolved) in plan)
        {
            Log.Information("bench {Bench}: {Experiment} seed {Seed}", name, experiment, seed);
            RunOutcome outcome;
            double peakMb;
            try
            {
                using var peak = new PeakMemory();
                outcome = new ExperimentRun(loggers).Execute(resolved, Path.Combine(root, experiment, $"seed-{seed}"), cancel.Token);
                peakMb = peak.PeakMegabytes;
            }
            catch (Exception e) when (e is not TrainingInterrupted and not OperationCanceledException && !cancel.IsCancellationRequested)
            {
                // One run's failure (a NaN loss, a native error) costs that run, not the runs before and after it.
                var first = e.Message.Split('\n')[0].Trim();
                Log.Error(e, "bench {Bench}: {Experiment} seed {Seed} failed: {Error}; the bench goes on, and its tables cover the runs that finished",
                    name, experiment, seed, first);
                failed.Add($"{experiment} seed {seed}: {e.GetType().Name}: {first}");
                continue;
            }
            var epochs = outcome.Training.Epochs.Where(e => e.Epoch > 0).ToList();
            var analyses = outcome.Analyses.SelectMany(section => section.Value.Select(kv => (Key: $"{section.Key}.{kv.Key}", kv.Value)))
                .ToDictionary(x => x.Key, x => x.Value);
            cells.Add(new BenchCell(experiment, resolved.MethodName, seed, outcome.Test.ToDictionary(kv => kv.Key, kv => kv.Value.Mean),
                outcome.Training.Validation.ToDictionary(kv => kv.Key, kv => kv.Value.Mean), epochs.Count == 0 ? 0 : epochs.Average(e => e.Seconds), analyses, peakMb));
        }
        if (cells.Count > 0) Summarise(bench, cells, root, components, loggers, complete: failed.Count == 0);
        if (failed.Count == 0) return 0;
        Console.Error.WriteLine($"bench {name}: {failed.Count} of {plan.Count} runs failed (each run's folder under {root} keeps its log):");
        foreach (var f in failed) Console.Error.WriteLine($"  {f}");
        return 1;
    }

    /// <summary>
    /// `bench --collect DIR` (and a submitted bench's end): where each task stands, then the usual
    /// tables over the tasks that finished. The study and steering tables wait for every task. Exit
    /// code 1 when a task failed.
    /// </summary>
    private static int Collect(CommandLine line, TaskPlan plan)
    {
        var states = PlanExecution.States(plan);
        Console.Write(PlanExecution.Summary(plan, states));
        var cells = states.Where(s => s.Cell is not null).Select(s => s.Cell!).ToList();
        if (cells.Count > 0)
        {
            using var bootLoggers = new SerilogLoggerFactory(Log.Logger);
            var (file, catalog) = UntangleCommand.LoadPlugins(PlanCommands.PluginsLine(line, plan), bootLoggers.CreateLogger("Untangle.Plugins"));
            if (!file.Benchmarks.TryGetValue(plan.Name, out var bench))
                throw new ConfigurationException($"{file.Path}: no benchmark '{plan.Name}', which {plan.Root} ran; collect with the plugins.json it was submitted with (--plugins FILE)");
            Summarise(bench, cells, plan.Root, catalog, bootLoggers, complete: cells.Count == plan.Tasks.Count);
        }
        else Console.WriteLine("no task has finished yet; nothing to tabulate");
        return states.Any(s => s.Status == "failed") ? 1 : 0;
    }

    /// <summary>Prints and writes (bench.txt, bench.json) the tables over <paramref name="cells"/>; the study and steering tables only when <paramref name="complete"/>.</summary>
    private static void Summarise(Benchmark bench, List<BenchCell> cells, string root, Plugins.ComponentCatalog components,
        Microsoft.Extensions.Logging.ILoggerFactory loggers, bool complete)
    {
        var table = Render(bench, cells);
        if (!complete && (bench.Study is not null || bench.Steer is not null))
            table += "\nthe study and steering tables need every run: they wait for every task to finish (or, in a bench that ran here, are left out when a run failed)\n";
        else
        {
            if (bench.Study is { } study) table += "\n" + Study(bench, cells, study, root);
            if (bench.Steer is { } steer) table += "\n" + Steer(components, cells, steer, root, loggers);
        }
        Console.WriteLine(table);
        Runs.FileWrite.Atomically(Path.Combine(root, "bench.txt"), "writing", table);
        Runs.FileWrite.Atomically(Path.Combine(root, "bench.json"), "writing", Json(bench, cells).ToJsonString(new JsonSerializerOptions { WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals }));
        Console.WriteLine($"results: {root}");
    }

    /// <summary>The benchmark's metric study: its table (returned), study.json and the PNG charts in the bench folder.</summary>
    private static string Study(Benchmark bench, List<BenchCell> cells, (string Prefix, string Target) settings, string root)
    {
        var runs = cells.Select(c => new StudyRun(c.Experiment, c.Seed,
            c.Analyses.Concat(c.Test).GroupBy(kv => kv.Key).ToDictionary(g => g.Key, g => g.First().Value))).ToList();
        if (!cells.Any(c => c.Test.ContainsKey(settings.Target)))
            throw new ConfigurationException($"benchmark '{bench.Name}' study target '{settings.Target}' is not a test metric of its runs; they report {string.Join(", ", cells[0].Test.Keys)}");
        var study = new MetricStudy(runs, bench.Experiments, settings.Prefix, settings.Target);
        if (study.Metrics.Count == 0)
            return $"study: no run reported an analysis value under '{settings.Prefix}'; nothing to compare\n";
        var text = study.Render();
        Runs.FileWrite.Atomically(Path.Combine(root, StudyReport.TextFile), "writing", text);
        Runs.FileWrite.Atomically(Path.Combine(root, StudyReport.JsonFile), "writing", study.ToJson().ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        var charts = StudyCharts.Render(study, root);
        return text + $"charts: {string.Join(", ", charts.Select(c => c.File))}\n";
    }

    /// <summary>Controllability of every run's steering axes: its table (returned) and steer.json in the bench folder.</summary>
    private static string Steer(Plugins.ComponentCatalog catalog, List<BenchCell> cells, Steering.SteerBenchSettings settings, string root,
        Microsoft.Extensions.Logging.ILoggerFactory loggers)
    {
        var text = new StringBuilder($"steering: {settings.Users} held-out users at most, steps [{string.Join(", ", settings.Steps)}], top-{settings.Top}\n");
        text.AppendLine(Steering.Controllability.Header);
        var json = new JsonObject();
        var measured = new List<(string Experiment, IReadOnlyList<Steering.AxisControl> Axes)>();
        foreach (var cell in cells)
        {
            var name = $"{cell.Experiment} seed {cell.Seed}";
            using var run = Steering.TrainedRun.Open(Path.Combine(root, cell.Experiment, $"seed-{cell.Seed}"), catalog, loggers);
            var axes = Steering.Controllability.Measure(run, settings);
            text.Append(Steering.Controllability.Render(name, axes));
            json[name] = Steering.Controllability.Json(axes);
            measured.Add((cell.Experiment, axes));
        }
        if (cells.Select(c => c.Seed).Distinct().Count() > 1)
            text.Append("\n").Append(Steering.Controllability.RenderOverSeeds(measured));
        Runs.FileWrite.Atomically(Path.Combine(root, "steer.txt"), "writing", text.ToString());
        Runs.FileWrite.Atomically(Path.Combine(root, "steer.json"), "writing", json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        return text.ToString();
    }

    private static IEnumerable<ConfigSource> Layers(CommandLine line, ConfigSource experiment, int seed)
    {
        yield return experiment;
        foreach (var layer in line.Layers()) yield return layer;
        yield return new ConfigSource("bench seed", new Dictionary<string, string> { ["train.seed"] = seed.ToString(CultureInfo.InvariantCulture) });
    }

    /// <summary>
    /// Mean and standard error of the mean over seeds: the sample standard deviation (n − 1) / √n. With
    /// 3 or 5 seeds the population form (/ n) would understate it by 18% or 11%. One seed has no
    /// standard error: NaN, printed "n/a" and written as null.
    /// </summary>
    internal static (double Mean, double Se) Summary(IEnumerable<double> values)
    {
        var v = values.ToList();
        double mean = v.Average();
        if (v.Count < 2) return (mean, double.NaN);
        return (mean, Contracts.Analysis.SampleStatistics.StandardDeviation(v) / Math.Sqrt(v.Count));
    }

    /// <summary>
    /// The per-seed differences experiment − baseline over the seeds both ran (with the same seed the two
    /// share the split and the data, so split-to-split spread cancels), their mean ± s.e. as
    /// <see cref="Summary"/>, and on how many of those seeds the difference is above 0. No common seed: NaN.
    /// </summary>
    internal static (double Mean, double Se, int Above, int Count) Paired(IReadOnlyDictionary<int, double> experiment, IReadOnlyDictionary<int, double> baseline)
    {
        var differences = experiment.Where(kv => baseline.ContainsKey(kv.Key)).OrderBy(kv => kv.Key).Select(kv => kv.Value - baseline[kv.Key]).ToList();
        if (differences.Count == 0) return (double.NaN, double.NaN, 0, 0);
        var (mean, se) = Summary(differences);
        return (mean, se, differences.Count(d => d > 0), differences.Count);
    }

    /// <summary>experiment → metric → <see cref="Paired"/> with its baseline (<see cref="Benchmark.BaselineOf"/>), for every experiment that has one.</summary>
    private static Dictionary<string, Dictionary<string, (double Mean, double Se, int Above, int Count)>> PairedTable(Benchmark bench, List<BenchCell> cells)
    {
        var table = new Dictionary<string, Dictionary<string, (double, double, int, int)>>();
        foreach (var experiment in bench.Experiments)
        {
            if (bench.BaselineOf(experiment) is not { } baseline) continue;
            var baseRows = cells.Where(c => c.Experiment == baseline).ToList();
            var rows = cells.Where(c => c.Experiment == experiment).ToList();
            if (rows.Count == 0 || baseRows.Count == 0) continue;
            table[experiment] = rows[0].Test.Keys.ToDictionary(m => m, m => Paired(PerSeed(rows, m), PerSeed(baseRows, m)));
        }
        return table;
    }

    private static Dictionary<int, double> PerSeed(IEnumerable<BenchCell> rows, string metric) =>
        rows.ToDictionary(r => r.Seed, r => r.Test.GetValueOrDefault(metric, double.NaN));

    private static string Error(double se, string format) =>
        double.IsNaN(se) ? "n/a".PadRight(0.0.ToString(format, CultureInfo.InvariantCulture).Length) : se.ToString(format, CultureInfo.InvariantCulture);

    /// <summary>
    /// The test-metric table, then the paired one, once per set of metrics: a benchmark whose experiments
    /// report different metrics (the fidelity benchmark's VAE and FairMI runs) gets one block per set,
    /// in the order the sets first appear among its experiments.
    /// </summary>
    private static string Render(Benchmark bench, List<BenchCell> cells)
    {
        var sb = new StringBuilder();
        int width = Math.Max(12, bench.Experiments.Max(e => e.Length));
        sb.Append($"benchmark {bench.Name}: test metrics, mean ± s.e. over seeds {string.Join(",", cells.Select(c => c.Seed).Distinct())}\n");
        var unrun = bench.Experiments.Where(e => !cells.Any(c => c.Experiment == e)).ToList();
        var groups = bench.Experiments.Except(unrun)
            .GroupBy(e => string.Join(",", cells.First(c => c.Experiment == e).Test.Keys))
            .ToList();
        for (int g = 0; g < groups.Count; g++)
        {
            var experiments = groups[g].ToList();
            var metrics = cells.First(c => c.Experiment == experiments[0]).Test.Keys.ToList();
            if (g > 0) sb.Append('\n');
            RenderGroup(sb, bench, cells, g == 0 ? [.. experiments, .. unrun] : experiments, metrics, width);
            AppendPaired(sb, bench, cells, experiments, metrics, width);
        }
        if (groups.Count == 0) RenderGroup(sb, bench, cells, unrun, [], width);
        AppendAnalyses(sb, bench, cells);
        return sb.ToString();
    }

    private static void RenderGroup(StringBuilder sb, Benchmark bench, List<BenchCell> cells, List<string> experiments, List<string> metrics, int width)
    {
        sb.Append("experiment".PadRight(width));
        foreach (var m in metrics) sb.Append($"  {m,19}");
        sb.Append("    s/epoch  peak MiB\n");
        foreach (var experiment in experiments)
        {
            var rows = cells.Where(c => c.Experiment == experiment).ToList();
            sb.Append(experiment.PadRight(width));
            if (rows.Count == 0)
            {
                sb.Append("  (no run of it has finished)\n");
                continue;
            }
            foreach (var m in metrics)
            {
                var (mean, se) = Summary(rows.Select(r => r.Test.GetValueOrDefault(m, double.NaN)));
                sb.Append($"  {mean.ToString("F5", CultureInfo.InvariantCulture),9} ± {Error(se, "F5")}");
            }
            sb.Append($"  {rows.Average(r => r.SecondsPerEpoch).ToString("F3", CultureInfo.InvariantCulture),9}");
            sb.Append($"  {rows.Max(r => r.PeakMemoryMb).ToString("F0", CultureInfo.InvariantCulture),8}\n");
            if (bench.Reference.TryGetValue(experiment, out var reference))
            {
                sb.Append($"  reference{(bench.ReferenceSource is null ? "" : $" ({bench.ReferenceSource})")}".PadRight(width));
                foreach (var m in metrics)
                    sb.Append(reference.TryGetValue(m, out var r) ? $"  {r.ToString("F5", CultureInfo.InvariantCulture),9}          " : $"  {"",19}");
                sb.Append('\n');
            }
        }
    }

    /// <summary>Each of <paramref name="experiments"/>' paired difference from its baseline (<see cref="Paired"/>), per metric: Δ ± s.e. [seeds above 0/seeds].</summary>
    private static void AppendPaired(StringBuilder sb, Benchmark bench, List<BenchCell> cells, List<string> experiments, List<string> metrics, int width)
    {
        var paired = PairedTable(bench, cells).Where(kv => experiments.Contains(kv.Key)).ToList();
        if (paired.Count == 0) return;
        // One baseline for all: rows are named by experiment; one per experiment: "experiment − baseline".
        string Label(string experiment) => bench.Baselines.Count == 0 ? experiment : $"{experiment} − {bench.BaselineOf(experiment)}";
        if (bench.Baselines.Count == 0)
            sb.Append($"\npaired with {bench.Baseline}: mean ± s.e. over seeds of (experiment − {bench.Baseline}) on the same seed's split, [seeds above 0/seeds]\n");
        else
        {
            sb.Append("\npaired with each experiment's own baseline (after \"−\"): mean ± s.e. over seeds of the difference on the same seed's split, [seeds above 0/seeds]\n");
            width = Math.Max(width, paired.Max(kv => Label(kv.Key).Length));
        }
        const int cell = 26;
        sb.Append("experiment".PadRight(width));
        foreach (var m in metrics) sb.Append("  ").Append(m.PadLeft(cell));
        sb.Append('\n');
        foreach (var (experiment, byMetric) in paired)
        {
            sb.Append(Label(experiment).PadRight(width));
            foreach (var m in metrics)
            {
                var (mean, se, above, count) = byMetric.GetValueOrDefault(m, (double.NaN, double.NaN, 0, 0));
                var text = $"{mean.ToString("+0.00000;-0.00000", CultureInfo.InvariantCulture)} ± {Error(se, "F5")} [{above}/{count}]";
                sb.Append("  ").Append(text.PadLeft(cell));
            }
            sb.Append('\n');
        }
    }

    /// <summary>
    /// The runs' analysis values (metrics.json analysis sections, flattened to "section.key"), one block
    /// per experiment, mean ± s.e. over seeds: attacker AUC, disentanglement R², transfer accuracy...
    /// </summary>
    private static void AppendAnalyses(StringBuilder sb, Benchmark bench, List<BenchCell> cells)
    {
        if (cells.All(c => c.Analyses.Count == 0)) return;
        sb.Append("\nanalyses (computed on each run's best model), mean ± s.e. over seeds\n");
        foreach (var experiment in bench.Experiments)
        {
            var rows = cells.Where(c => c.Experiment == experiment).ToList();
            var keys = rows.SelectMany(r => r.Analyses.Keys).Distinct().ToList();
            if (keys.Count == 0) continue;
            sb.Append(experiment).Append('\n');
            int width = keys.Max(k => k.Length);
            foreach (var key in keys)
            {
                var (mean, se) = Summary(rows.Select(r => r.Analyses.GetValueOrDefault(key, double.NaN)));
                sb.Append($"  {key.PadRight(width)}  {mean.ToString("F4", CultureInfo.InvariantCulture),9} ± {Error(se, "F4")}\n");
            }
        }
    }

    private static JsonObject Json(Benchmark bench, List<BenchCell> cells)
    {
        var experiments = new JsonObject();
        foreach (var experiment in bench.Experiments)
        {
            var rows = cells.Where(c => c.Experiment == experiment).ToList();
            if (rows.Count == 0) continue;
            var metrics = Summaries(rows, rows[0].Test.Keys, (r, m) => r.Test[m]);
            experiments[experiment] = new JsonObject
            {
                ["method"] = rows[0].Method,
                ["seeds"] = new JsonArray(rows.Select(r => (JsonNode)JsonValue.Create(r.Seed)).ToArray()),
                ["seconds_per_epoch"] = rows.Average(r => r.SecondsPerEpoch),
                ["peak_memory_mib"] = rows.Max(r => r.PeakMemoryMb),
                ["test"] = metrics,
                ["analyses"] = Summaries(rows, rows.SelectMany(r => r.Analyses.Keys).Distinct(), (r, k) => r.Analyses.GetValueOrDefault(k, double.NaN)),
            };
        }
        foreach (var (experiment, paired) in PairedTable(bench, cells))
        {
            experiments[experiment]!["baseline"] = bench.BaselineOf(experiment);
            experiments[experiment]!["paired_with_baseline"] = new JsonObject(paired.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)new JsonObject
            {
                ["mean"] = kv.Value.Mean, ["standard_error"] = double.IsNaN(kv.Value.Se) ? null : kv.Value.Se,
                ["seeds_above_zero"] = kv.Value.Above, ["seeds"] = kv.Value.Count,
            })));
        }
        var json = new JsonObject { ["benchmark"] = bench.Name, ["experiments"] = experiments };
        if (bench.Baseline is not null) json["baseline"] = bench.Baseline;
        return json;
    }

    private static JsonObject Summaries(List<BenchCell> rows, IEnumerable<string> keys, Func<BenchCell, string, double> value)
    {
        var summaries = new JsonObject();
        foreach (var key in keys)
        {
            var (mean, se) = Summary(rows.Select(r => value(r, key)));
            summaries[key] = new JsonObject
            {
                ["mean"] = mean, ["standard_error"] = double.IsNaN(se) ? null : se,
                ["per_seed"] = new JsonArray(rows.Select(r => (JsonNode)JsonValue.Create(value(r, key))).ToArray()),
            };
        }
        return summaries;
    }
}
