using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Untangle.Host.Serve;

/// <summary>
/// `serve`'s settings, from the "Untangle:Serve" section of configuration (appsettings.json beside
/// the host, then UNTANGLE__SERVE__* style environment variables, then the command line's --queue,
/// --out, --store, --drain, --plugins). Relative paths are relative to the working directory.
/// Queue hygiene: MaxExperimentBytes (default 1 MiB), DataRoots (where served runs may read data),
/// MaxRunMinutes (a run's wall-clock limit; default none).
/// </summary>
public sealed record ServeSettings
{
    public const string Section = "Untangle:Serve";

    /// <summary>The queue folder, holding incoming/, running/, done/ and failed/.</summary>
    public required string Queue { get; init; }
    /// <summary>Where each run's folder goes: RUNS/RUN-ID/.</summary>
    public required string Runs { get; init; }
    /// <summary>The experiment store: a SQLite file (made absolute), or a PostgreSQL URL or connection string as given.</summary>
    public required string Store { get; init; }
    /// <summary>How often incoming/ is listed even without a file-system notification.</summary>
    public required TimeSpan Poll { get; init; }
    /// <summary>Stop once the queue is empty instead of waiting for more files.</summary>
    public required bool Drain { get; init; }
    /// <summary>How long a stop request waits for the step in flight and its checkpoint.</summary>
    public required TimeSpan ShutdownTimeout { get; init; }
    public string? PluginsFile { get; init; }
    /// <summary>Experiment files larger than this are refused unread (a JSON experiment is a few KiB).</summary>
    public long MaxExperimentBytes { get; init; } = ExperimentQueue.DefaultMaxFileBytes;
    /// <summary>
    /// The folders a served run may read data from (dataset.path must lie inside one, links resolved);
    /// null: the working directory and the folders holding the data of plugins.json's own experiments;
    /// empty (the value "*"): anywhere.
    /// </summary>
    public IReadOnlyList<string>? DataRoots { get; init; }
    /// <summary>Plugin folders beside plugins.json's and the user plugins folder (PluginDirs, or serve --plugins-dir), as <see cref="Plugins.PluginFolder.All"/> reads them.</summary>
    public IReadOnlyList<string> PluginDirs { get; init; } = [];
    /// <summary>A run's wall-clock limit; past it the run checkpoints and fails (resumable with run --resume). Null: none.</summary>
    public TimeSpan? MaxRunTime { get; init; }

    public static ServeSettings From(IConfiguration configuration)
    {
        var section = configuration.GetSection(Section);
        string Path(string key, string fallback) => System.IO.Path.GetFullPath(section[key] is { Length: > 0 } v ? v : fallback);
        double Seconds(string key, double fallback)
        {
            var text = section[key];
            if (string.IsNullOrWhiteSpace(text)) return fallback;
            return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var s) && s > 0 ? s
                : throw new ConfigurationException($"{Section}:{key}: '{text}' is not a positive number of seconds");
        }
        var drain = section["Drain"];
        var maxBytes = section["MaxExperimentBytes"];
        var maxMinutes = section["MaxRunMinutes"];
        return new ServeSettings
        {
            Queue = Path("Queue", "queue"),
            Runs = Path("Runs", "runs"),
            Store = Untangle.Host.Store.PostgresLocation.Settled(section["Store"] is { Length: > 0 } store ? store : "runs/untangle.db"),
            Poll = TimeSpan.FromSeconds(Seconds("PollSeconds", 2)),
            Drain = drain is { Length: > 0 } && (bool.TryParse(drain, out var d) ? d : throw new ConfigurationException($"{Section}:Drain: '{drain}' is not true or false")),
            ShutdownTimeout = TimeSpan.FromSeconds(Seconds("ShutdownTimeoutSeconds", 600)),
            PluginsFile = section["Plugins"] is { Length: > 0 } p ? p : null,
            MaxExperimentBytes = string.IsNullOrWhiteSpace(maxBytes) ? ExperimentQueue.DefaultMaxFileBytes
                : long.TryParse(maxBytes, NumberStyles.None, CultureInfo.InvariantCulture, out var b) && b > 0 ? b
                : throw new ConfigurationException($"{Section}:MaxExperimentBytes: '{maxBytes}' is not a positive whole number of bytes"),
            DataRoots = Roots(section),
            PluginDirs = Folders(section, "PluginDirs").Select(System.IO.Path.GetFullPath).ToList(),
            MaxRunTime = string.IsNullOrWhiteSpace(maxMinutes) || maxMinutes.Trim() == "0" ? null : TimeSpan.FromMinutes(
                double.TryParse(maxMinutes, NumberStyles.Float, CultureInfo.InvariantCulture, out var m) && m > 0 ? m
                : throw new ConfigurationException($"{Section}:MaxRunMinutes: '{maxMinutes}' is not a positive number of minutes (0 or unset: no limit)")),
        };
    }

    /// <summary>DataRoots as a list (DataRoots:0, DataRoots:1 ... in JSON, or one value with folders separated by the path separator).</summary>
    private static IReadOnlyList<string>? Roots(IConfigurationSection section)
    {
        var values = Folders(section, "DataRoots");
        if (values.Count == 0) return null;
        if (values is ["*"]) return [];
        return values.Select(v => System.IO.Path.GetFullPath(v)).ToList();
    }

    /// <summary>A list setting: KEY:0, KEY:1 ... in JSON, or one value with folders separated by the path separator; blanks dropped.</summary>
    private static List<string> Folders(IConfigurationSection section, string key)
    {
        var list = section.GetSection(key);
        var values = list.GetChildren().Select(c => c.Value).OfType<string>().ToList();
        if (values.Count == 0 && list.Value is { } one) values = [.. one.Split(System.IO.Path.PathSeparator)];
        return values.Select(v => v.Trim()).Where(v => v.Length > 0).ToList();
    }
}
