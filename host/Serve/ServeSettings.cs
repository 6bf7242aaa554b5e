using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Untangle.Host.Serve;

/// <summary>
/// `serve`'s settings, from the "Untangle:Serve" section of configuration (appsettings.json beside
/// the host, then UNTANGLE__SERVE__* style environment variables, then the command line's --queue,
/// --out, --store, --drain, --plugins). Relative paths are relative to the working directory.
/// </summary>
public sealed record ServeSettings
{
    public const string Section = "Untangle:Serve";

    /// <summary>The queue folder, holding incoming/, running/, done/ and failed/.</summary>
    public required string Queue { get; init; }
    /// <summary>Where each run's folder goes: RUNS/RUN-ID/.</summary>
    public required string Runs { get; init; }
    public required string Store { get; init; }
    /// <summary>How often incoming/ is listed even without a file-system notification.</summary>
    public required TimeSpan Poll { get; init; }
    /// <summary>Stop once the queue is empty instead of waiting for more files.</summary>
    public required bool Drain { get; init; }
    /// <summary>How long a stop request waits for the step in flight and its checkpoint.</summary>
    public required TimeSpan ShutdownTimeout { get; init; }
    public string? PluginsFile { get; init; }

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
        return new ServeSettings
        {
            Queue = Path("Queue", "queue"),
            Runs = Path("Runs", "runs"),
            Store = Path("Store", "runs/untangle.db"),
            Poll = TimeSpan.FromSeconds(Seconds("PollSeconds", 2)),
            Drain = drain is { Length: > 0 } && (bool.TryParse(drain, out var d) ? d : throw new ConfigurationException($"{Section}:Drain: '{drain}' is not true or false")),
            ShutdownTimeout = TimeSpan.FromSeconds(Seconds("ShutdownTimeoutSeconds", 600)),
            PluginsFile = section["Plugins"] is { Length: > 0 } p ? p : null,
        };
    }
}
