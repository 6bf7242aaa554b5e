using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Serilog;
using Serilog.Extensions.Logging;
using Untangle.Host.Composition;
using Untangle.Host.Tasks;

namespace Untangle.Host.Cli;

/// <summary>
/// `sweep NAME|FILE.json [--seeds ...] [--set key=value]... [--out DIR] [--executor local|slurm|kubernetes]`:
/// a hyper-parameter search (<see cref="Sweep"/>). Every configuration runs with every seed as one task
/// (config-K/seed-S under DIR, each recorded in the store); a configuration is chosen on its mean
/// best-epoch validation metric over seeds, and the chosen one's test metrics are reported as mean ±
/// s.e. over seeds. Resumable: the same command with the same --out runs only what has not finished.
/// </summary>
public static class SweepCommand
{
    public static int Execute(CommandLine line)
    {
        if (line.Collect is not null)
        {
            return Collect(PlanCommands.Submitted(line, "sweep"));
        }
        if (line.Positional.Count != 1) throw new UsageException("sweep takes one sweep: a name from plugins.json's \"sweeps\" or a sweep file (.json)");
        var target = line.Positional[0];
        TaskPlan plan;
        using (var bootLoggers = new SerilogLoggerFactory(Log.Logger))
        {
            var (file, catalog) = UntangleCommand.LoadPlugins(line, bootLoggers.CreateLogger("Untangle.Plugins"));
            var sweep = target.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? Sweep.FromFile(target, file.Experiments)
                : file.Sweeps.TryGetValue(target, out var named) ? named
                : throw new ConfigurationException($"unknown sweep '{target}'; sweeps in {file.Path}: {(file.Sweeps.Count == 0 ? "none" : string.Join(", ", file.Sweeps.Keys.Order()))} (or give a sweep file, NAME.json)");
            var seeds = line.Seeds is null ? sweep.Seeds : Benchmark.ParseSeeds(line.Seeds);
            var configurations = sweep.Configurations();
            // Every configuration resolved before anything runs: an unknown key or a bad value fails here.
            var resolver = new ExperimentResolver(catalog);
            string? metric = sweep.Metric;
            for (int k = 0; k < configurations.Count; k++)
            {
                List<ConfigSource> layers = [file.Experiment(sweep.Experiment), .. line.Layers()];
                layers.Add(ConfigSource.FromAssignments(Assignments(configurations[k])) with { Origin = $"sweep '{sweep.Name}' configuration {k}" });
                var resolved = resolver.Resolve(sweep.Experiment, layers);
                if (resolved.Run.SelectOnTest)
                    throw new ConfigurationException(
                        $"sweep '{sweep.Name}': configuration {k} sets eval.select_on = test; a sweep chooses its configuration on validation, and test-selected runs would choose it on the test users; expected eval.select_on = validation");
                metric ??= resolved.Run.ValidationMetric;
                if (!resolved.Run.Metrics.Contains(metric))
                    throw new ConfigurationException(
                        $"sweep '{sweep.Name}' metric: '{metric}' is not evaluated by {sweep.Experiment}; its metrics: {string.Join(", ", resolved.Run.Metrics)} (eval.metrics)");
            }
            var tasks = new List<TaskSpec>();
            for (int k = 0; k < configurations.Count; k++)
                foreach (var seed in seeds)
                    tasks.Add(new TaskSpec(tasks.Count, sweep.Experiment, seed, Assignments(configurations[k]), Path.Combine($"config-{k}", $"seed-{seed}"), k));
            var root = Path.GetFullPath(line.Out ?? Path.Combine("runs", "sweep", sweep.Name, DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)));
            plan = PlanCommands.NewPlan(line, "sweep", sweep.Name, root, tasks) with { Metric = metric };
            Console.WriteLine($"sweep {sweep.Name}: {sweep.Experiment}, {sweep.Search} search, {configurations.Count} configurations × {seeds.Count} seeds = {tasks.Count} tasks, chosen on validation {metric}");
        }
        return PlanCommands.Execute(line, plan, Collect);
    }

    private static List<string> Assignments(IReadOnlyList<(string Key, string Value)> configuration) =>
        configuration.Select(kv => $"{kv.Key}={kv.Value}").ToList();

    /// <summary>Where the tasks stand, the table of configurations, the chosen one's test metrics; sweep.txt and sweep.json. Exit code 1 when a task failed.</summary>
    private static int Collect(TaskPlan plan)
    {
        var states = PlanExecution.States(plan);
        Console.Write(PlanExecution.Summary(plan, states));
        var table = SweepTable.Of(plan, states);
        if (table is null)
        {
            Console.WriteLine("no task has finished yet; nothing to tabulate");
        }
        else
        {
            var text = table.Render();
            Console.WriteLine(text);
            Runs.FileWrite.Atomically(Path.Combine(plan.Root, "sweep.txt"), "writing", text);
            Runs.FileWrite.Atomically(Path.Combine(plan.Root, "sweep.json"), "writing",
                table.Json().ToJsonString(new JsonSerializerOptions { WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals }));
            Console.WriteLine($"results: {plan.Root}");
        }
        return states.Any(s => s.Status == "failed") ? 1 : 0;
    }
}

/// <summary>
/// A sweep's results: per configuration its settings, how many seeds finished, the selection metric's
/// validation mean ± s.e. and every test metric's; the chosen configuration is the one with the highest
/// validation mean among those whose seeds all finished (or, when none has, among all).
/// </summary>
internal sealed class SweepTable
{
    private sealed record Row(int Configuration, IReadOnlyList<string> Settings, IReadOnlyList<BenchCell> Cells, int Seeds);

    private readonly TaskPlan _plan;
    private readonly List<Row> _rows;
    private readonly string _metric;
    private readonly List<string> _testMetrics;
    private readonly Row _best;

    private SweepTable(TaskPlan plan, List<Row> rows, string metric)
    {
        _plan = plan;
        _rows = rows;
        _metric = metric;
        _testMetrics = rows.SelectMany(r => r.Cells).First().Test.Keys.ToList();
        var complete = rows.Where(r => r.Cells.Count == r.Seeds).ToList();
        _best = (complete.Count > 0 ? complete : rows.Where(r => r.Cells.Count > 0).ToList()).MaxBy(r => Validation(r).Mean)!;
    }

    public static SweepTable? Of(TaskPlan plan, IReadOnlyList<TaskState> states)
    {
        if (!states.Any(s => s.Cell is not null)) return null;
        var metric = plan.Metric ?? throw new ConfigurationException($"{plan.Root}/{TaskPlan.FileName}: names no selection metric");
        var rows = states.GroupBy(s => s.Task.Configuration ?? 0).OrderBy(g => g.Key)
            .Select(g => new Row(g.Key, g.First().Task.Sets, g.Where(s => s.Cell is not null).Select(s => s.Cell!).ToList(), g.Count())).ToList();
        var first = rows.SelectMany(r => r.Cells).First();
        if (!first.Validation.ContainsKey(metric))
            throw new ConfigurationException($"sweep {plan.Name}: selection metric '{metric}' is not among the runs' validation metrics ({string.Join(", ", first.Validation.Keys)})");
        return new SweepTable(plan, rows, metric);
    }

    private (double Mean, double Se) Validation(Row row) =>
        row.Cells.Count == 0 ? (double.NaN, double.NaN) : BenchCommand.Summary(row.Cells.Select(c => c.Validation.GetValueOrDefault(_metric, double.NaN)));

    private static (double Mean, double Se) Test(Row row, string metric) =>
        row.Cells.Count == 0 ? (double.NaN, double.NaN) : BenchCommand.Summary(row.Cells.Select(c => c.Test.GetValueOrDefault(metric, double.NaN)));

    private static string Pair((double Mean, double Se) v) =>
        double.IsNaN(v.Mean) ? "-" : $"{v.Mean.ToString("F5", CultureInfo.InvariantCulture)} ± {(double.IsNaN(v.Se) ? "n/a" : v.Se.ToString("F5", CultureInfo.InvariantCulture))}";

    public string Render()
    {
        var keys = _rows[0].Settings.Select(s => s[..s.IndexOf('=')]).ToList();
        var seeds = _rows.SelectMany(r => r.Cells).Select(c => c.Seed).Distinct().Order();
        var columns = new List<string> { "config" };
        columns.AddRange(keys);
        columns.Add("seeds");
        columns.Add($"valid {_metric}");
        columns.AddRange(_testMetrics.Select(m => $"test {m}"));
        var cells = _rows.Select(r =>
        {
            var row = new List<string> { r.Configuration.ToString(CultureInfo.InvariantCulture) + (r == _best ? " *" : "") };
            row.AddRange(r.Settings.Select(s => s[(s.IndexOf('=') + 1)..]));
            row.Add($"{r.Cells.Count}/{r.Seeds}");
            row.Add(Pair(Validation(r)));
            row.AddRange(_testMetrics.Select(m => Pair(Test(r, m))));
            return row;
        }).ToList();
        var widths = columns.Select((c, i) => Math.Max(c.Length, cells.Max(r => r[i].Length))).ToList();
        var text = new StringBuilder();
        text.Append($"sweep {_plan.Name}: {_plan.Tasks[0].Experiment}, {_rows.Count} configurations, seeds {string.Join(",", seeds)}; chosen on validation {_metric} (mean over seeds, higher is better)\n");
        text.AppendLine(string.Join("  ", columns.Select((c, i) => c.PadRight(widths[i]))).TrimEnd());
        foreach (var row in cells) text.AppendLine(string.Join("  ", row.Select((c, i) => c.PadRight(widths[i]))).TrimEnd());
        text.Append($"\nbest: config {_best.Configuration} ({string.Join(", ", _best.Settings)}), {_best.Cells.Count} of {_best.Seeds} seeds{(_best.Cells.Count < _best.Seeds ? " (no configuration has all its seeds finished)" : "")}\n");
        text.Append($"  validation {_metric}: {Pair(Validation(_best))}\n");
        int width = _testMetrics.Max(m => m.Length);
        foreach (var m in _testMetrics) text.Append($"  test {m.PadRight(width)}: {Pair(Test(_best, m))}\n");
        return text.ToString();
    }

    public JsonObject Json()
    {
        JsonObject Summary((double Mean, double Se) v, IEnumerable<double> perSeed) => new()
        {
            ["mean"] = v.Mean, ["standard_error"] = double.IsNaN(v.Se) ? null : v.Se,
            ["per_seed"] = new JsonArray(perSeed.Select(x => (JsonNode)JsonValue.Create(x)).ToArray()),
        };
        JsonObject Configuration(Row r) => new()
        {
            ["configuration"] = r.Configuration,
            ["settings"] = new JsonObject(r.Settings.Select(s => KeyValuePair.Create(s[..s.IndexOf('=')], (JsonNode?)s[(s.IndexOf('=') + 1)..]))),
            ["seeds"] = new JsonArray(r.Cells.Select(c => (JsonNode)JsonValue.Create(c.Seed)).ToArray()),
            ["seeds_planned"] = r.Seeds,
            ["validation"] = Summary(Validation(r), r.Cells.Select(c => c.Validation.GetValueOrDefault(_metric, double.NaN))),
            ["test"] = new JsonObject(_testMetrics.Select(m => KeyValuePair.Create(m, (JsonNode?)Summary(Test(r, m), r.Cells.Select(c => c.Test.GetValueOrDefault(m, double.NaN)))))),
        };
        return new JsonObject
        {
            ["sweep"] = _plan.Name,
            ["experiment"] = _plan.Tasks[0].Experiment,
            ["metric"] = _metric,
            ["best"] = Configuration(_best),
            ["configurations"] = new JsonArray(_rows.Select(r => (JsonNode)Configuration(r)).ToArray()),
        };
    }
}
