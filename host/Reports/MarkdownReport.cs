using System.Globalization;
using System.Text;

namespace Untangle.Host.Reports;

/// <summary>The comparison as Markdown: one row per run with its test metrics (mean ± s.e.), then the configuration keys that differ.</summary>
public static class MarkdownReport
{
    public static string Render(RunComparison comparison)
    {
        var sb = new StringBuilder();
        sb.Append($"# Untangle runs compared ({comparison.Runs.Count})\n\n");
        var metrics = comparison.TestMetrics;
        var header = new List<string> { "run", "experiment", "method", "status", "seed", "best epoch", "epochs", "s/epoch" };
        header.AddRange(metrics.Select(m => $"test {m}"));
        Row(sb, header);
        Row(sb, header.Select(h => h is "run" or "experiment" or "method" or "status" ? "---" : "---:"));
        foreach (var r in comparison.Runs)
        {
            var cells = new List<string>
            {
                r.Run.Id, r.Run.Experiment, r.Run.Method ?? "", r.Run.Status, r.Run.Seed?.ToString(CultureInfo.InvariantCulture) ?? "",
                r.Run.BestEpoch?.ToString(CultureInfo.InvariantCulture) ?? "", r.Epochs.Count(e => e.Epoch > 0).ToString(CultureInfo.InvariantCulture),
                Number(r.SecondsPerEpoch, "F3"),
            };
            cells.AddRange(metrics.Select(m => r.Metric("test", m) is { } v ? $"{Number(v.Mean, "F5")} ± {Number(v.StandardError, "F5")}" : ""));
            Row(sb, cells);
        }

        var errors = comparison.Runs.Where(r => r.Run.Error is not null).ToList();
        if (errors.Count > 0)
        {
            sb.Append("\n## Errors\n\n");
            foreach (var r in errors) sb.Append($"- {r.Run.Id} ({r.Run.Status}): {r.Run.Error}\n");
        }

        var differences = comparison.ConfigDifferences;
        sb.Append("\n## Configuration differences\n\n");
        if (differences.Count == 0)
        {
            sb.Append("The runs share every configuration key.\n");
            return sb.ToString();
        }
        Row(sb, ["key", .. comparison.Runs.Select(r => r.Run.Id)]);
        Row(sb, ["---", .. comparison.Runs.Select(_ => "---")]);
        foreach (var (key, values) in differences) Row(sb, [key, .. values]);
        return sb.ToString();
    }

    public static string Number(double v, string format) => double.IsFinite(v) ? v.ToString(format, CultureInfo.InvariantCulture) : "";

    private static void Row(StringBuilder sb, IEnumerable<string> cells) =>
        sb.Append("| ").Append(string.Join(" | ", cells.Select(c => c.Replace("|", "\\|").ReplaceLineEndings(" ")))).Append(" |\n");
}
