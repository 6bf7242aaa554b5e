using System.Text.Json.Nodes;

namespace Untangle.Host.Tasks;

/// <summary>
/// One finished run of a bench or sweep, as its tables need it: test and best-epoch validation metric
/// means, seconds per training epoch, the analysis values (metrics.json's analysis sections, flattened to
/// "section.key") and the peak resident memory (NaN when it was not measured).
/// </summary>
public sealed record BenchCell(string Experiment, string Method, int Seed, IReadOnlyDictionary<string, double> Test,
    IReadOnlyDictionary<string, double> Validation, double SecondsPerEpoch, IReadOnlyDictionary<string, double> Analyses, double PeakMemoryMb)
{
    /// <summary>metrics.json's own sections; every other object in it is an analysis section.</summary>
    private static readonly HashSet<string> RunSections = ["dataset", "split", "validation", "test", "test_standard_error", "test_users_counted"];

    /// <summary>The cell of the finished run in <paramref name="folder"/> (its metrics.json and epochs.jsonl), or null when it has not finished.</summary>
    public static BenchCell? FromFolder(string experiment, int seed, string folder, double peakMemoryMb)
    {
        var results = new Results.RunResults(folder);
        if (!File.Exists(results.MetricsPath)) return null;
        var metrics = JsonNode.Parse(File.ReadAllText(results.MetricsPath))!.AsObject();
        static Dictionary<string, double> Values(JsonNode? section) =>
            section is JsonObject o ? o.Where(kv => kv.Value is null or JsonValue).ToDictionary(kv => kv.Key, kv => Number(kv.Value)) : [];
        var analyses = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (name, section) in metrics)
            if (section is JsonObject o && !RunSections.Contains(name))
                foreach (var (key, value) in Values(o)) analyses[$"{name}.{key}"] = value;
        var seconds = File.Exists(results.EpochLogPath)
            ? File.ReadLines(results.EpochLogPath).Where(l => l.Length > 0).Select(l => JsonNode.Parse(l)!)
                .Where(e => e["epoch"]!.GetValue<int>() > 0).Select(e => Number(e["seconds"])).ToList()
            : [];
        return new BenchCell(experiment, metrics["method"]?.GetValue<string>() ?? "", seed, Values(metrics["test"]), Values(metrics["validation"]),
            seconds.Count == 0 ? 0 : seconds.Average(), analyses, peakMemoryMb);
    }

    /// <summary>A number as metrics.json writes it: non-finite values are null or "NaN".</summary>
    private static double Number(JsonNode? node) => node is JsonValue v && v.TryGetValue<double>(out var d) ? d : double.NaN;
}
