using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Serilog;
using Serilog.Extensions.Logging;
using Untangle.Contracts.Components;
using Untangle.Contracts.Data;
using Untangle.Contracts.Settings;
using Untangle.Host.Cli;
using Untangle.Host.Composition;
using Untangle.Host.Training;

namespace Untangle.Host.Perf;

/// <summary>
/// <c>bench perf [--set key=value]... [--out DIR]</c>: the speed yardstick, in one process, on data it
/// generates. Four tables, printed and written to DIR/perf.txt and DIR/perf.json:
/// <list type="number">
/// <item>the GEMM yardstick (<see cref="GemmYardstick"/>);</item>
/// <item>each method's seconds per training epoch on synthetic data of a chosen shape (default the
/// MovieLens-1M shape of the speed issue: 6,039 users, 3,628 items, about 590,000 training
/// interactions), its FLOPs per epoch (<see cref="EpochFlops"/>), the achieved GFLOP/s and fraction
/// of the yardstick, and the seconds to rank every test user;</item>
/// <item>the load rate of a generated ratings.csv and RecBole .inter through the real readers;</item>
/// <item>a scaling table: BPR-MF and LightGCN at growing user counts (items 20 % of users, 40
/// interactions per user), seconds per epoch and microseconds per training interaction. BPR-MF is
/// trained in rounds over the sizes (ascending, then descending, and so on), and each size's seconds
/// per epoch are the median of its counted epochs over all rounds: this machine has slow spells of
/// minutes (the same 100,000-user epoch: medians of 4.7 s and 2.6 s in two runs a few minutes
/// apart), and one run per size let a spell land on one size only.</item>
/// </list>
/// Epoch seconds are the mean over the epochs after the first (the first pays for warming caches,
/// allocators and the runtime's compilation), or the only epoch. Where an epoch is cut to its first
/// N batches (train.limit_batches), the seconds per epoch are the measured seconds scaled by all
/// batches / N, and the table says so.
/// Run it alone: a second job on the machine slows both.
/// </summary>
internal static class PerfBench
{
    public const string Name = "perf";

    public static readonly IReadOnlyList<SettingSpec> Options =
    [
        SettingSpec.Int("users", 6039, "users of the synthetic data the methods train on (MovieLens-1M shape)").Positive(),
        SettingSpec.Int("items", 3628, "items of that data").Positive(),
        SettingSpec.Float("mean_interactions", 122.3, "mean interactions per user of that data (122.3: about 590,000 training interactions at 6,039 users)").Positive(),
        SettingSpec.String("methods", "lightgcn,bpr-mf,multvae,macridvae,mmssl,dcid", "methods timed on that data, each through its <method>-synthetic experiment; empty: none"),
        SettingSpec.Int("epochs", 2, "training epochs per method").Positive(),
        SettingSpec.Int("batches", 0, "at most this many batches per epoch for the methods (0: whole epochs); seconds per epoch are then scaled up"),
        SettingSpec.Int("threads", 0, "train.threads of every run and the yardstick's libtorch threads (0: every core)"),
        SettingSpec.IntList("scaling", [10000, 50000, 100000], "user counts of the scaling table ([]: none)"),
        SettingSpec.Int("scaling_epochs", 4, "BPR-MF epochs per run at each scaling size (the first of each run is not counted unless it is the only one)").Positive(),
        SettingSpec.Int("scaling_rounds", 3, "BPR-MF runs per scaling size, taken in rounds over the sizes (ascending, then descending); a size's seconds per epoch are the median of its counted epochs").Positive(),
        SettingSpec.Int("scaling_lightgcn_batches", 20, "LightGCN batches timed at each scaling size (its epoch propagates the whole graph once per batch; 0: whole epochs)"),
        SettingSpec.Int("load_lines", 20_000_000, "lines of the generated ratings.csv and .inter the readers load (0: no load table)"),
    ];

    public static int Execute(CommandLine line)
    {
        var given = ConfigSource.FromAssignments(line.Sets).Values;
        var options = SettingValues.Resolve("bench perf", Options, given);
        if (options.Int("threads") < 0) throw new ConfigurationException($"bench perf: threads {options.Int("threads")} is negative; expected 0 (every core) or more");
        if (options.Int("batches") < 0) throw new ConfigurationException($"bench perf: batches {options.Int("batches")} is negative; expected 0 (whole epochs) or more");
        if (options.Int("load_lines") < 0) throw new ConfigurationException($"bench perf: load_lines {options.Int("load_lines")} is negative; expected 0 (no load table) or more");
        foreach (var n in options.IntList("scaling"))
            if (n < 5) throw new ConfigurationException($"bench perf: scaling size {n} is too small; expected user counts of 5 or more (items are a fifth of the users)");
        if (options.IntList("scaling").GroupBy(n => n).FirstOrDefault(g => g.Count() > 1) is { } twice)
            throw new ConfigurationException($"bench perf: scaling size {twice.Key} is listed more than once; expected each user count once");

        var root = Path.GetFullPath(line.Out ?? Path.Combine("runs", "bench", Name, DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)));
        Runs.OutputFolder.Ensure(root, line.Out is null ? "the bench folder" : "--out", "the speed benchmark's data, runs and tables");
        if (Directory.EnumerateFileSystemEntries(root).Any())
            throw new ConfigurationException($"{(line.Out is null ? "the bench folder" : "--out")} {root} is not empty; choose a new folder");
        Log.Logger = Logging.ForRun(root);
        using var loggers = new SerilogLoggerFactory(Log.Logger);
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };

        var (file, catalog) = UntangleCommand.LoadPlugins(line, loggers.CreateLogger("Untangle.Plugins"));
        var resolver = new ExperimentResolver(catalog);
        int threads = options.Int("threads") > 0 ? options.Int("threads") : Environment.ProcessorCount;
        var methods = options.String("methods").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToList();
        // Every experiment resolves before the first measurement: a typo fails at once.
        foreach (var method in methods) file.Experiment(method + "-synthetic");

        var report = new PerfReport
        {
            Started = DateTime.Now,
            Machine = $"{CpuName()}, {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}",
            Threads = threads,
        };
        Log.Information("bench perf: GEMM yardstick on {Threads} threads", threads);
        report.GemmGflops = GemmYardstick.Measure(threads);

        foreach (var method in methods)
        {
            cancel.Token.ThrowIfCancellationRequested();
            var sets = new Dictionary<string, string>
            {
                ["dataset.users"] = Text(options.Int("users")),
                ["dataset.items"] = Text(options.Int("items")),
                ["dataset.mean_interactions"] = Text(options.Float("mean_interactions")),
                ["train.limit_batches"] = Text(options.Int("batches")),
            };
            // DCID's representation phase runs once before the recommender's epochs; one epoch of it keeps the bench short.
            if (method == "dcid") sets["hyper.pretrain_epochs"] = "1";
            report.Methods.Add(Time(method, method + "-synthetic", sets, options.Int("epochs"), threads, file, resolver, Path.Combine(root, "methods", method), loggers, cancel.Token));
        }

        var sizes = options.IntList("scaling").ToList();
        var scaleData = new Dictionary<int, Dictionary<string, string>>();
        foreach (var users in sizes)
        {
            cancel.Token.ThrowIfCancellationRequested();
            var folder = Path.Combine(root, "data", $"scale-{users}");
            GeneratedInteractions.WriteInter(folder, $"scale-{users}", users, users / 5, Math.Min(40, users / 5), seed: 7);
            scaleData[users] = new Dictionary<string, string> { ["dataset.reader"] = "recbole", ["dataset.path"] = folder };
        }
        var bprRuns = sizes.ToDictionary(users => users, _ => new List<MethodTiming>());
        for (int round = 1; round <= options.Int("scaling_rounds"); round++)
        {
            foreach (var users in round % 2 == 1 ? sizes : Enumerable.Reverse(sizes))
            {
                cancel.Token.ThrowIfCancellationRequested();
                bprRuns[users].Add(Time("bpr-mf", "bpr-mf-synthetic", scaleData[users], options.Int("scaling_epochs"), threads, file, resolver,
                    Path.Combine(root, "scaling", $"bpr-mf-{users}-round{round}"), loggers, cancel.Token, test: false));
            }
        }
        foreach (var users in sizes)
        {
            var lightGcnSets = new Dictionary<string, string>(scaleData[users]) { ["train.limit_batches"] = Text(options.Int("scaling_lightgcn_batches")) };
            var lightGcn = Time("lightgcn", "lightgcn-synthetic", lightGcnSets, 1, threads, file, resolver, Path.Combine(root, "scaling", $"lightgcn-{users}"), loggers, cancel.Token, test: false);
            report.Scaling.Add(new ScalingRow(users, users / 5, bprRuns[users][0].TrainInteractions, bprRuns[users], lightGcn));
        }

        // Last: reading 20 M lines leaves gigabytes of freed memory behind, which the timings above should not share the process with.
        if (options.Int("load_lines") > 0) report.Loads.AddRange(Loads(options.Int("load_lines"), catalog, Path.Combine(root, "data", "load"), loggers, cancel.Token));

        var table = report.Render();
        Console.WriteLine(table);
        Runs.FileWrite.Atomically(Path.Combine(root, "perf.txt"), "writing", table);
        Runs.FileWrite.Atomically(Path.Combine(root, "perf.json"), "writing", report.Json().ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        Console.WriteLine($"results: {root}");
        return 0;
    }

    /// <summary>Trains one experiment for <paramref name="epochs"/> epochs (no validation before the last, no early stop, no disentanglement suite) and times it.</summary>
    private static MethodTiming Time(string method, string experiment, IReadOnlyDictionary<string, string> sets, int epochs, int threads,
        PluginsFile file, ExperimentResolver resolver, string folder, ILoggerFactory loggers, CancellationToken cancel, bool test = true)
    {
        var bench = new Dictionary<string, string>(sets)
        {
            ["train.epochs"] = Text(epochs),
            ["train.eval_every"] = Text(epochs),
            ["train.patience"] = "0",
            ["train.threads"] = Text(threads),
            ["eval.disentanglement"] = "none",
        };
        var resolved = resolver.Resolve(experiment, [file.Experiment(experiment), new ConfigSource("bench perf", bench)]);
        Log.Information("bench perf: {Method} ({Experiment}), {Epochs} epoch(s)", method, experiment, epochs);
        var outcome = new ExperimentRun(loggers).Execute(resolved, folder, cancel);
        var seconds = outcome.Training.Epochs.Where(e => e.Epoch > 0).Select(e => e.Seconds).ToList();
        var counted = seconds.Count > 1 ? seconds.Skip(1).ToList() : seconds;
        var split = outcome.Split;
        long trainUsers = Enumerable.Range(0, split.Train.Rows).Count(u => split.Train.RowLength(u) > 0);
        var batches = new TrainingBatches(resolved.Declaration.BatchKind, split.Train, resolved.Run.BatchSize, resolved.Run.Seed, TorchSharp.torch.CPU);
        int full = batches.Full;
        int ran = resolved.Run.LimitBatches > 0 ? Math.Min(resolved.Run.LimitBatches, full) : full;
        var perEpoch = counted.Select(s => s * full / ran).ToList();
        double? flops = EpochFlops.Of(resolved, split.Train.Count, trainUsers, split.ItemCount, full, outcome.Analyses);
        return new MethodTiming(method, outcome.Dataset.UserCount, outcome.Dataset.ItemCount, split.Train.Count, perEpoch, ran, full, flops,
            test ? outcome.StageSeconds.GetValueOrDefault("test") : null, test ? split.Test.Count : 0);
    }

    /// <summary>Generates a ratings.csv and a .inter of <paramref name="lines"/> lines and reads each through its reader, timed, with the resident memory it took.</summary>
    private static IEnumerable<LoadTiming> Loads(int lines, Plugins.ComponentCatalog catalog, string folder, ILoggerFactory loggers, CancellationToken cancel)
    {
        // The MovieLens 20M proportions: about 143 ratings per user over 27,000 movies.
        const int perUser = 143, items = 27_000;
        int users = Math.Max(1, lines / perUser);
        var csvFolder = Path.Combine(folder, "movielens");
        var interFolder = Path.Combine(folder, "recbole");
        Log.Information("bench perf: writing a {Lines}-line ratings.csv and .inter", users * perUser);
        long csvLines = GeneratedInteractions.WriteRatingsCsv(csvFolder, users, items, perUser, seed: 11);
        long interLines = GeneratedInteractions.WriteInter(interFolder, "recbole", users, items, perUser, seed: 11);
        foreach (var (reader, path, count) in new[] { ("movielens-csv", csvFolder, csvLines), ("recbole", interFolder, interLines) })
        {
            cancel.ThrowIfCancellationRequested();
            if (!catalog.TryGet(ComponentKind.DatasetReader, reader, out var part))
                throw new ConfigurationException($"bench perf: no dataset reader '{reader}' is loaded");
            var component = (IDatasetReader)part.Part;
            var readerOptions = SettingValues.Resolve($"dataset ({reader})", component.Options, new Dictionary<string, string>());
            // Aggressive: the collector also hands its free memory back to the system, so the resident size
            // the next load starts from is not the last load's high-water mark.
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            double before;
            using (var p = Process.GetCurrentProcess()) before = p.WorkingSet64 / (1024.0 * 1024.0);
            using var peak = new PeakMemory();
            var clock = Stopwatch.StartNew();
            var dataset = component.Read(path, readerOptions, loggers.CreateLogger($"Untangle.Data.{reader}"));
            double seconds = clock.Elapsed.TotalSeconds;
            double peakMb = peak.PeakMegabytes;
            yield return new LoadTiming(reader, Path.GetFileName(Directory.EnumerateFiles(path).First()), count, seconds, peakMb - before, FinalMegabytes(dataset));
        }
    }

    /// <summary>The arrays a data set keeps: the CSR interactions (row starts, columns, values, timestamps) and the id strings.</summary>
    private static double FinalMegabytes(Dataset dataset)
    {
        var x = dataset.Interactions;
        double bytes = 4.0 * x.RowStart.Length + 4.0 * x.Columns.Length + 4.0 * (x.Values?.Length ?? 0) + 8.0 * (x.Timestamps?.Length ?? 0);
        // A .NET string: about 22 bytes of header and length plus 2 per character, and the array's reference.
        bytes += dataset.UserIds.Sum(s => 30.0 + 2 * s.Length) + dataset.ItemIds.Sum(s => 30.0 + 2 * s.Length);
        return bytes / (1024.0 * 1024.0);
    }

    private static string CpuName()
    {
        try
        {
            var model = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            if (model is not null) return model[(model.IndexOf(':') + 1)..].Trim();
        }
        catch (IOException)
        {
        }
        return RuntimeInformation.ProcessArchitecture.ToString();
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
    private static string Text(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}

/// <summary>
/// One method's timing: seconds per (whole) epoch of each counted epoch (all but the first, or the only
/// one), from <see cref="BatchesRun"/> of <see cref="BatchesPerEpoch"/> batches, and their mean; test
/// ranking seconds where measured.
/// </summary>
internal sealed record MethodTiming(string Method, int Users, int Items, long TrainInteractions, IReadOnlyList<double> EpochSeconds, int BatchesRun, int BatchesPerEpoch,
    double? FlopsPerEpoch, double? TestSeconds, int TestUsers)
{
    public double SecondsPerEpoch => EpochSeconds.Average();

    public double? Gflops => FlopsPerEpoch is { } f ? f / SecondsPerEpoch / 1e9 : null;
    public bool Scaled => BatchesRun < BatchesPerEpoch;
}

internal sealed record LoadTiming(string Reader, string File, long Lines, double Seconds, double PeakAboveStartMb, double FinalMb)
{
    public double LinesPerSecond => Lines / Seconds;
}

/// <summary>One size of the scaling table: BPR-MF's runs there (one per round) and LightGCN's.</summary>
internal sealed record ScalingRow(int Users, int Items, long TrainInteractions, IReadOnlyList<MethodTiming> BprMfRuns, MethodTiming LightGcn)
{
    /// <summary>Every counted BPR-MF epoch at this size, over all rounds, fastest first.</summary>
    public IReadOnlyList<double> BprMfEpochs { get; } = [.. BprMfRuns.SelectMany(r => r.EpochSeconds).Order()];

    /// <summary>The median of <see cref="BprMfEpochs"/>: the size's BPR-MF seconds per epoch.</summary>
    public double BprMfSeconds => BprMfEpochs.Count % 2 == 1
        ? BprMfEpochs[BprMfEpochs.Count / 2]
        : (BprMfEpochs[BprMfEpochs.Count / 2 - 1] + BprMfEpochs[BprMfEpochs.Count / 2]) / 2;
}

/// <summary>What one `bench perf` measured, as text tables and JSON.</summary>
internal sealed class PerfReport
{
    public DateTime Started { get; init; }
    public required string Machine { get; init; }
    public int Threads { get; init; }
    public double GemmGflops { get; set; }
    public List<MethodTiming> Methods { get; } = [];
    public List<LoadTiming> Loads { get; } = [];
    public List<ScalingRow> Scaling { get; } = [];

    public string Render()
    {
        var c = CultureInfo.InvariantCulture;
        var s = new StringBuilder();
        s.AppendLine(c, $"bench perf, {Started:yyyy-MM-dd HH:mm}, {Machine}, train.threads {Threads}");
        s.AppendLine(c, $"GEMM yardstick: {GemmYardstick.Size}³ float32 matmul on {Threads} libtorch threads: {GemmGflops:F1} GFLOP/s");
        if (Methods.Count > 0)
        {
            var first = Methods[0];
            s.AppendLine();
            s.AppendLine(c, $"methods on synthetic data ({first.Users:N0} users × {first.Items:N0} items; each method's own split):");
            s.AppendLine("| method | training interactions | s/epoch | batches | GFLOP/epoch | GFLOP/s | of GEMM | test ranking s (users) |");
            s.AppendLine("|---|---|---|---|---|---|---|---|");
            foreach (var m in Methods)
                s.AppendLine(c, $"| {m.Method} | {m.TrainInteractions:N0} | {m.SecondsPerEpoch:F2}{(m.Scaled ? "*" : "")} | {Batches(m)} | {Num(m.FlopsPerEpoch / 1e9, "F1")} | {Num(m.Gflops, "F2")} | {Num(m.Gflops / GemmGflops * 100, "F1", "%")} | {Num(m.TestSeconds, "F2")} ({m.TestUsers:N0}) |");
            s.AppendLine("FLOPs: the layer sizes' products (EpochFlops.cs), forward and backward; MMSSL's from the critic rows per batch its run reports; n/a where slot components decide the cost.");
            if (Methods.Any(m => m.Scaled)) s.AppendLine("*: measured on the first batches of each epoch, scaled to the whole epoch.");
        }
        if (Loads.Count > 0)
        {
            s.AppendLine();
            s.AppendLine("loading (the file was just written, so it is read from the page cache):");
            s.AppendLine("| reader | file | lines | s | M lines/s | peak MB above start | final arrays MB |");
            s.AppendLine("|---|---|---|---|---|---|---|");
            foreach (var l in Loads)
                s.AppendLine(c, $"| {l.Reader} | {l.File} | {l.Lines:N0} | {l.Seconds:F2} | {l.LinesPerSecond / 1e6:F2} | {l.PeakAboveStartMb:F0} | {l.FinalMb:F0} |");
        }
        if (Scaling.Count > 0)
        {
            s.AppendLine();
            s.AppendLine("scaling (generated .inter, items = users / 5, 40 interactions per user, Zipf-like popularity):");
            s.AppendLine("| users | items | training interactions | BPR-MF s/epoch (median) | fastest–slowest epoch | BPR-MF µs/interaction | LightGCN s/epoch | LightGCN s/batch |");
            s.AppendLine("|---|---|---|---|---|---|---|---|");
            foreach (var r in Scaling)
                s.AppendLine(c, $"| {r.Users:N0} | {r.Items:N0} | {r.TrainInteractions:N0} | {r.BprMfSeconds:F2} | {r.BprMfEpochs[0]:F2}–{r.BprMfEpochs[^1]:F2} | {r.BprMfSeconds / r.TrainInteractions * 1e6:F2} | {r.LightGcn.SecondsPerEpoch:F1}{(r.LightGcn.Scaled ? "*" : "")} | {r.LightGcn.SecondsPerEpoch / r.LightGcn.BatchesPerEpoch:F3} |");
            s.AppendLine(c, $"BPR-MF: {Scaling[0].BprMfRuns.Count} run(s) per size in rounds over the sizes; the median of {Scaling[0].BprMfEpochs.Count} counted epoch(s) per size (each run's first epoch is not counted).");
            if (Scaling.Count > 1)
            {
                var (small, large) = (Scaling.MinBy(r => r.Users)!, Scaling.MaxBy(r => r.Users)!);
                double growth = large.BprMfSeconds / large.TrainInteractions / (small.BprMfSeconds / small.TrainInteractions);
                s.AppendLine(c, $"BPR-MF cost per interaction, {large.Users:N0} users against {small.Users:N0}: {growth:F2}×");
            }
            if (Scaling.Any(r => r.LightGcn.Scaled))
                s.AppendLine("*: LightGCN propagates the whole graph for every batch, so its epoch grows with batches × interactions; timed on its first batches, scaled to the whole epoch.");
        }
        return s.ToString();

        static string Batches(MethodTiming m) => m.Scaled ? $"{m.BatchesRun} of {m.BatchesPerEpoch}" : $"{m.BatchesPerEpoch}";
    }

    private static string Num(double? value, string format, string unit = "") =>
        value is { } v ? v.ToString(format, CultureInfo.InvariantCulture) + unit : "n/a";

    public JsonObject Json()
    {
        static JsonObject Timing(MethodTiming m) => new()
        {
            ["method"] = m.Method,
            ["users"] = m.Users,
            ["items"] = m.Items,
            ["train_interactions"] = m.TrainInteractions,
            ["seconds_per_epoch"] = m.SecondsPerEpoch,
            ["epoch_seconds"] = new JsonArray([.. m.EpochSeconds.Select(e => (JsonNode)e)]),
            ["batches_run"] = m.BatchesRun,
            ["batches_per_epoch"] = m.BatchesPerEpoch,
            ["flops_per_epoch"] = m.FlopsPerEpoch,
            ["gflops"] = m.Gflops,
            ["test_seconds"] = m.TestSeconds,
            ["test_users"] = m.TestUsers,
        };
        return new JsonObject
        {
            ["started"] = Started.ToString("o", CultureInfo.InvariantCulture),
            ["machine"] = Machine,
            ["threads"] = Threads,
            ["gemm_gflops"] = GemmGflops,
            ["methods"] = new JsonArray([.. Methods.Select(m => (JsonNode)Timing(m))]),
            ["loads"] = new JsonArray([.. Loads.Select(l => (JsonNode)new JsonObject
            {
                ["reader"] = l.Reader, ["file"] = l.File, ["lines"] = l.Lines, ["seconds"] = l.Seconds,
                ["lines_per_second"] = l.LinesPerSecond, ["peak_mb_above_start"] = l.PeakAboveStartMb, ["final_mb"] = l.FinalMb,
            })]),
            ["scaling"] = new JsonArray([.. Scaling.Select(r => (JsonNode)new JsonObject
            {
                ["users"] = r.Users, ["items"] = r.Items, ["train_interactions"] = r.TrainInteractions,
                ["bpr_mf"] = new JsonObject
                {
                    ["seconds_per_epoch"] = r.BprMfSeconds,
                    ["fastest_epoch"] = r.BprMfEpochs[0],
                    ["slowest_epoch"] = r.BprMfEpochs[^1],
                    ["epochs_counted"] = r.BprMfEpochs.Count,
                    ["runs"] = new JsonArray([.. r.BprMfRuns.Select(run => (JsonNode)Timing(run))]),
                },
                ["lightgcn"] = Timing(r.LightGcn),
            })]),
        };
    }
}
