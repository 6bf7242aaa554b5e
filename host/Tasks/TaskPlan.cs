using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Untangle.Host.Cli;

namespace Untangle.Host.Tasks;

/// <summary>
/// One array task: an experiment with one seed (and, in a sweep, one configuration's settings), trained
/// into its own folder under the plan's root by <c>untangle task</c>.
/// </summary>
/// <param name="Folder">Relative to the plan's root: EXPERIMENT/seed-S (bench) or config-K/seed-S (sweep).</param>
/// <param name="Sets">The task's own --set assignments, after the plan's.</param>
/// <param name="Configuration">A sweep's configuration number (0-based); null in a bench.</param>
public sealed record TaskSpec(int Index, string Experiment, int Seed, IReadOnlyList<string> Sets, string Folder, int? Configuration = null);

/// <summary>
/// tasks.json in a bench's or sweep's folder: everything an array task needs to run on any machine
/// that sees the folder — the plugins, the store, the layers of settings and the task list — so a Slurm
/// job or a Kubernetes indexed Job runs <c>untangle task ROOT/tasks.json</c> with only its index.
/// Paths are absolute (the submitting machine's view of the shared folder).
/// </summary>
public sealed record TaskPlan
{
    public const string FileName = "tasks.json";

    /// <summary>"bench" or "sweep".</summary>
    public required string Kind { get; init; }
    public required string Name { get; init; }
    public required string Root { get; init; }
    public required IReadOnlyList<TaskSpec> Tasks { get; init; }
    public string? PluginsFile { get; init; }
    public IReadOnlyList<string> PluginDirs { get; init; } = [];
    /// <summary>The experiment store every task writes its row to (a SQLite file on the shared folder, or PostgreSQL).</summary>
    public string? Store { get; init; }
    public string? ConfigFile { get; init; }
    /// <summary>The --set assignments given to bench or sweep, applied to every task before its own.</summary>
    public IReadOnlyList<string> Sets { get; init; } = [];
    public required string WorkingDirectory { get; init; }
    /// <summary>A sweep's selection metric (validation; higher is better); null for a bench.</summary>
    public string? Metric { get; init; }

    public string PathOf(TaskSpec task) => Path.Combine(Root, task.Folder);

    /// <summary>The command line a task runs: <c>run EXPERIMENT --out FOLDER</c> with the plan's layers and the task's seed.</summary>
    public CommandLine RunLine(TaskSpec task)
    {
        var line = new CommandLine { Verb = "run", ConfigFile = ConfigFile, Out = PathOf(task), PluginsFile = PluginsFile, Store = Store };
        line.Positional.Add(task.Experiment);
        line.Sets.AddRange(Sets);
        line.Sets.AddRange(task.Sets);
        line.Sets.Add($"train.seed={task.Seed.ToString(CultureInfo.InvariantCulture)}");
        line.PluginDirs.AddRange(PluginDirs);
        return line;
    }

    /// <summary>The same task continued from its folder's checkpoint: <c>run --resume FOLDER</c>.</summary>
    public CommandLine ResumeLine(TaskSpec task)
    {
        var line = new CommandLine { Verb = "run", Resume = PathOf(task), PluginsFile = PluginsFile, Store = Store };
        line.PluginDirs.AddRange(PluginDirs);
        return line;
    }

    public void Save() => Runs.FileWrite.Atomically(Path.Combine(Root, FileName), "writing", ToJson().ToJsonString(new JsonSerializerOptions { WriteIndented = true }));

    /// <summary>True when <paramref name="other"/> runs the same tasks with the same settings (a resubmission of this plan).</summary>
    public bool SameTasks(TaskPlan other) =>
        Kind == other.Kind && Name == other.Name && ToJson()["tasks"]!.ToJsonString() == other.ToJson()["tasks"]!.ToJsonString()
        && string.Join('\n', Sets) == string.Join('\n', other.Sets) && ConfigFile == other.ConfigFile && Metric == other.Metric && Store == other.Store;

    private JsonObject ToJson() => new()
    {
        ["kind"] = Kind,
        ["name"] = Name,
        ["plugins"] = PluginsFile,
        ["plugins_dirs"] = new JsonArray(PluginDirs.Select(d => (JsonNode)d).ToArray()),
        ["store"] = Store,
        ["config"] = ConfigFile,
        ["sets"] = new JsonArray(Sets.Select(s => (JsonNode)s).ToArray()),
        ["working_directory"] = WorkingDirectory,
        ["metric"] = Metric,
        ["tasks"] = new JsonArray(Tasks.Select(t => (JsonNode)new JsonObject
        {
            ["index"] = t.Index, ["experiment"] = t.Experiment, ["seed"] = t.Seed,
            ["sets"] = new JsonArray(t.Sets.Select(s => (JsonNode)s).ToArray()), ["folder"] = t.Folder, ["configuration"] = t.Configuration,
        }).ToArray()),
    };

    /// <summary>Reads ROOT/tasks.json (or the file itself); one line naming the file and key when it is not a plan.</summary>
    public static TaskPlan Load(string path)
    {
        var file = Directory.Exists(path) ? Path.Combine(path, FileName) : path;
        if (!File.Exists(file))
            throw new ConfigurationException($"{file}: not found; expected the folder of a bench or sweep submitted with --executor (it holds {FileName})");
        try
        {
            var json = JsonNode.Parse(File.ReadAllText(file)) as JsonObject ?? throw new FormatException("not a JSON object");
            static JsonNode Need(JsonNode? parent, string key, string where) => parent?[key] ?? throw new FormatException($"{where}key '{key}' is missing");
            string Text(string key) => Need(json, key, "").GetValue<string>();
            List<string> Texts(JsonNode? node) => node?.AsArray().Select(x => x!.GetValue<string>()).ToList() ?? [];
            return new TaskPlan
            {
                Kind = Text("kind"), Name = Text("name"), Root = Path.GetDirectoryName(Path.GetFullPath(file))!,
                PluginsFile = json["plugins"]?.GetValue<string>(), PluginDirs = Texts(json["plugins_dirs"]), Store = json["store"]?.GetValue<string>(),
                ConfigFile = json["config"]?.GetValue<string>(), Sets = Texts(json["sets"]), WorkingDirectory = Text("working_directory"),
                Metric = json["metric"]?.GetValue<string>(),
                Tasks = Need(json, "tasks", "").AsArray().Select((t, i) => new TaskSpec(
                    Need(t, "index", $"task {i}: ").GetValue<int>(), Need(t, "experiment", $"task {i}: ").GetValue<string>(),
                    Need(t, "seed", $"task {i}: ").GetValue<int>(), Texts(t?["sets"]), Need(t, "folder", $"task {i}: ").GetValue<string>(),
                    t?["configuration"]?.GetValue<int>())).ToList(),
            };
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
        {
            throw new ConfigurationException($"{file}: not a task plan ({e.Message.TrimEnd('.')}); expected the {FileName} that bench or sweep --executor wrote");
        }
    }
}
