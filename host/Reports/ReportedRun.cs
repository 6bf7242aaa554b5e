using System.Text.Json;
using Untangle.Host.Store;

namespace Untangle.Host.Reports;

/// <summary>One run as a report shows it: its store row, epochs, final metrics and resolved configuration.</summary>
public sealed record ReportedRun(StoredRun Run, IReadOnlyList<StoredEpochRow> Epochs, IReadOnlyList<StoredMetricRow> Metrics, IReadOnlyDictionary<string, string> Config)
{
    public static ReportedRun Load(ExperimentStore store, StoredRun run) =>
        new(run, store.Epochs(run.Id), store.FinalMetrics(run.Id), ParseConfig(run.Config));

    public StoredMetricRow? Metric(string split, string name) => Metrics.FirstOrDefault(m => m.Split == split && m.Name == name);

    /// <summary>Mean training seconds per epoch (validation excluded), NaN without epochs.</summary>
    public double SecondsPerEpoch => Epochs.Where(e => e.Epoch > 0).Select(e => e.Seconds).DefaultIfEmpty(double.NaN).Average();

    private static IReadOnlyDictionary<string, string> ParseConfig(string? json)
    {
        var config = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (json is null) return config;
        using var doc = JsonDocument.Parse(json);
        foreach (var p in doc.RootElement.EnumerateObject())
            config[p.Name] = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText();
        return config;
    }
}
