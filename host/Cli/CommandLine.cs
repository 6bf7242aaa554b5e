namespace Untangle.Host.Cli;

/// <summary>
/// The parsed command line: <c>VERB [POSITIONAL] [--set key=value]... [--config FILE] [--out DIR]
/// [--plugins FILE] [--store FILE] [--json]</c> and the options of run --resume and serve. With no
/// verb, <c>run</c> the default experiment.
/// </summary>
public sealed record CommandLine
{
    public string Verb { get; init; } = "run";
    public List<string> Positional { get; } = [];
    public List<string> Sets { get; } = [];
    public string? ConfigFile { get; init; }
    public string? Out { get; init; }
    public string? PluginsFile { get; init; }
    /// <summary>--plugins-dir DIR (repeatable): plugin folders beside plugins.json's (<see cref="Plugins.PluginFolder.All"/>).</summary>
    public List<string> PluginDirs { get; } = [];
    public bool Json { get; init; }
    public string? Seeds { get; init; }
    /// <summary>bench: run only these of the benchmark's experiments (--experiments a,b), in the benchmark's order.</summary>
    public string? Experiments { get; init; }
    /// <summary>run --resume RUN: a run id (or unique prefix) in the store, or a run folder.</summary>
    public string? Resume { get; init; }
    /// <summary>The experiment store (default runs/untangle.db; serve: its configuration).</summary>
    public string? Store { get; init; }
    /// <summary>serve: the queue folder (default: its configuration, "queue").</summary>
    public string? Queue { get; init; }
    /// <summary>serve: stop once the queue is empty.</summary>
    public bool Drain { get; init; }

    /// <summary>steer: the data set's user id (--user).</summary>
    public string? User { get; init; }
    /// <summary>steer: each --axis NAME with the --by DELTA that follows it, in order.</summary>
    public List<(string Axis, double By)> Moves { get; } = [];
    /// <summary>steer: the --lock axes.</summary>
    public List<string> Locks { get; } = [];
    /// <summary>steer: list length (--top, default 20).</summary>
    public int Top { get; init; } = 20;
    /// <summary>steer: write the page into this folder (--html DIR).</summary>
    public string? Html { get; init; }

    /// <summary>bench, sweep: where the tasks run (--executor local | slurm | kubernetes); null: bench in this process, sweep local.</summary>
    public string? Executor { get; init; }
    /// <summary>bench, sweep --executor slurm: sbatch's --partition and --time (HH:MM:SS).</summary>
    public string? Partition { get; init; }
    public string? Time { get; init; }
    /// <summary>bench, sweep --executor slurm|kubernetes: CPUs per task (--cpus, default 1) and at most this many tasks at once (--max-parallel).</summary>
    public int Cpus { get; init; } = 1;
    public int? MaxParallel { get; init; }
    /// <summary>bench, sweep --executor slurm: wait for the array, then print the table (--wait).</summary>
    public bool Wait { get; init; }
    /// <summary>bench, sweep --collect DIR: the table from what finished in a submitted plan's folder.</summary>
    public string? Collect { get; init; }
    /// <summary>bench, sweep --executor kubernetes: the container image holding the untangle tool (--image) and the shared volume's claim (--volume-claim).</summary>
    public string? Image { get; init; }
    public string? VolumeClaim { get; init; }

    /// <summary>The layers this command line puts over an experiment's own: --config FILE, then the --set assignments.</summary>
    public IEnumerable<Composition.ConfigSource> Layers()
    {
        if (ConfigFile is not null) yield return Composition.ConfigSource.FromFile(ConfigFile);
        if (Sets.Count > 0) yield return Composition.ConfigSource.FromAssignments(Sets);
    }

    /// <summary>Where the store is when --store is not given (relative to the working directory).</summary>
    public const string DefaultStore = "runs/untangle.db";

    public const string Usage = """
        usage: untangle [VERB] [options]
          run [EXPERIMENT|FILE.json] [--set key=value]... [--config FILE] [--out DIR] [--store FILE]
                                  train and evaluate an experiment (default: plugins.json's default), recorded in the store
          run --resume RUN [--store FILE]
                                  continue a killed or interrupted run (a run id, an id prefix, or its folder) from its checkpoint
          serve [--queue DIR] [--out DIR] [--store FILE] [--drain]
                                  run experiment files dropped into DIR/incoming one at a time (settings: appsettings.json)
          runs [--store FILE] [--json]
                                  list the runs in the experiment store
          report RUN... [--store FILE] [--out DIR]
                                  compare runs: a Markdown table, and an HTML page with training curves (PNG)
          bench NAME [--seeds 5|1,2,3] [--experiments a,b] [--set key=value]... [--config FILE] [--out DIR] [--executor local|slurm|kubernetes]
                                  run a benchmark from plugins.json over several seeds: mean ± s.e. per metric, s/epoch
          bench perf [--set users=6039] [--set methods=lightgcn,bpr-mf] [--set scaling=[10000,50000]] [--set load_lines=N] [--out DIR]
                                  the speed yardstick on generated data: GEMM GFLOP/s, s/epoch and FLOPs per method, load
                                  rates, BPR-MF/LightGCN scaling (options: untangle show perf; run it alone on the machine)
          sweep NAME|FILE.json [--seeds 3|1,2,3] [--set key=value]... [--out DIR] [--executor local|slurm|kubernetes]
                                  hyper-parameter search (grid or random) over seeds, chosen on validation: the best test metrics
          bench|sweep [NAME] --collect DIR
                                  the tables from what finished in a submitted folder, and the tasks that failed
                                  executors: local (one task after another here; default for sweep), slurm (one job
                                  array: --partition P --time HH:MM:SS --cpus N --max-parallel N --wait), kubernetes
                                  (writes an indexed Job manifest: --image IMAGE --volume-claim CLAIM); the same --out
                                  again runs only the tasks that have not finished
          task PLAN [INDEX]       run one task of a submitted plan (what each array task runs; INDEX defaults to
                                  $SLURM_ARRAY_TASK_ID or $JOB_COMPLETION_INDEX)
          steer RUN [--user U] [--axis NAME --by DELTA]... [--lock NAME]... [--top 20] [--json] [--html DIR]
                                  move a user's code along interpretable axes of a finished run and show the list before and after
          plugins [--json]        list plugins, their components, the experiments and the benchmarks
          show NAME               a component's slots, hyper-parameters or options, with types, defaults and docs
          help                    this text
        common options: --plugins FILE (plugins.json to use), --plugins-dir DIR (more plugins: a plugin's build output or a
                        folder of plugin folders; repeatable), --store FILE|postgres://USER@HOST/DB (experiment store, default runs/untangle.db)
        plugins also load from the user plugins folder: $UNTANGLE_HOME/plugins, else ~/.local/share/untangle/plugins
        """;

    private static int Positive(string flag, string text) =>
        int.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var n) && n > 0
            ? n : throw new UsageException($"{flag} {text}: expected a positive whole number");

    public static CommandLine Parse(string[] args)
    {
        string verb = "run";
        int i = 0;
        if (args.Length > 0 && !args[0].StartsWith("--", StringComparison.Ordinal))
        {
            verb = args[0];
            i = 1;
        }
        string? config = null, outDir = null, plugins = null, seeds = null, experiments = null, resume = null, store = null, queue = null, user = null, html = null;
        string? executor = null, partition = null, time = null, collect = null, image = null, volumeClaim = null;
        bool json = false, drain = false, wait = false;
        int top = 20, cpus = 1;
        int? maxParallel = null;
        var moves = new List<(string, double)>();
        var locks = new List<string>();
        string? pendingAxis = null;
        var positional = new List<string>();
        var sets = new List<string>();
        var pluginDirs = new List<string>();
        for (; i < args.Length; i++)
        {
            string Next(string flag) => i + 1 < args.Length ? args[++i] : throw new UsageException($"{flag} needs a value");
            switch (args[i])
            {
                case "--set": sets.Add(Next("--set")); break;
                case "--config": config = Next("--config"); break;
                case "--out": outDir = Next("--out"); break;
                case "--plugins": plugins = Next("--plugins"); break;
                case "--plugins-dir": pluginDirs.Add(Next("--plugins-dir")); break;
                case "--json": json = true; break;
                case "--seeds": seeds = Next("--seeds"); break;
                case "--experiments": experiments = Next("--experiments"); break;
                case "--resume": resume = Next("--resume"); break;
                case "--store": store = Next("--store"); break;
                case "--queue": queue = Next("--queue"); break;
                case "--drain": drain = true; break;
                case "--user": user = Next("--user"); break;
                case "--lock": locks.Add(Next("--lock")); break;
                case "--html": html = Next("--html"); break;
                case "--executor":
                    executor = Next("--executor");
                    if (!Tasks.Executors.Names.Contains(executor))
                        throw new UsageException($"--executor {executor}: expected one of {string.Join(", ", Tasks.Executors.Names)}");
                    break;
                case "--partition": partition = Next("--partition"); break;
                case "--time":
                    time = Next("--time");
                    if (!System.Text.RegularExpressions.Regex.IsMatch(time, @"^(\d+-)?\d+(:\d{1,2}){0,2}$"))
                        throw new UsageException($"--time {time}: expected Slurm's time limit, e.g. 02:00:00 or 1-00:00:00");
                    break;
                case "--cpus": cpus = Positive("--cpus", Next("--cpus")); break;
                case "--max-parallel": maxParallel = Positive("--max-parallel", Next("--max-parallel")); break;
                case "--wait": wait = true; break;
                case "--collect": collect = Next("--collect"); break;
                case "--image": image = Next("--image"); break;
                case "--volume-claim": volumeClaim = Next("--volume-claim"); break;
                case "--top":
                    var t = Next("--top");
                    if (!int.TryParse(t, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out top) || top < 1)
                        throw new UsageException($"--top {t}: expected a positive whole number of items");
                    break;
                case "--axis":
                    if (pendingAxis is not null) throw new UsageException($"--axis {pendingAxis} needs --by DELTA after it");
                    pendingAxis = Next("--axis");
                    break;
                case "--by":
                    var by = Next("--by");
                    if (pendingAxis is null) throw new UsageException($"--by {by} must follow an --axis NAME");
                    if (!double.TryParse(by, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var delta) || !double.IsFinite(delta))
                        throw new UsageException($"--by {by}: expected a number of standard deviations, e.g. 2 or -1.5");
                    moves.Add((pendingAxis, delta));
                    pendingAxis = null;
                    break;
                case "-h" or "--help": verb = "help"; break;
                case var a when a.StartsWith("--", StringComparison.Ordinal) && a.Contains('='):
                    // --train.epochs=5 is shorthand for --set train.epochs=5
                    sets.Add(a[2..]);
                    break;
                case var a when a.StartsWith("--", StringComparison.Ordinal):
                    throw new UsageException($"unknown option {a}");
                default: positional.Add(args[i]); break;
            }
        }
        if (pendingAxis is not null) throw new UsageException($"--axis {pendingAxis} needs --by DELTA after it");
        var line = new CommandLine
        {
            Verb = verb, ConfigFile = config, Out = outDir, PluginsFile = plugins, Json = json, Seeds = seeds, Experiments = experiments,
            Resume = resume, Store = store, Queue = queue, Drain = drain, User = user, Top = top, Html = html,
            Executor = executor, Partition = partition, Time = time, Cpus = cpus, MaxParallel = maxParallel, Wait = wait, Collect = collect,
            Image = image, VolumeClaim = volumeClaim,
        };
        line.Moves.AddRange(moves);
        line.Locks.AddRange(locks);
        line.Positional.AddRange(positional);
        line.Sets.AddRange(sets);
        line.PluginDirs.AddRange(pluginDirs);
        return line;
    }
}

/// <summary>A malformed command line: printed with the usage, exit code 2.</summary>
public sealed class UsageException(string message) : Exception(message);
