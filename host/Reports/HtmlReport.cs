using System.Net;
using System.Text;

namespace Untangle.Host.Reports;

/// <summary>The comparison as one HTML page: the runs table, errors, configuration differences, and the training-curve images beside it.</summary>
public static class HtmlReport
{
    public static string Render(RunComparison comparison, IReadOnlyList<(string Title, string File)> charts)
    {
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Untangle runs compared</title>\n");
        sb.Append("<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;margin-bottom:1.5em}")
          .Append("th,td{border:1px solid #ccc;padding:4px 8px;text-align:right}th:first-child,td:first-child{text-align:left}")
          .Append(".text{text-align:left}figure{display:inline-block;margin:0 1em 1em 0}</style></head><body>\n");
        sb.Append($"<h1>Untangle runs compared ({comparison.Runs.Count})</h1>\n");

        var metrics = comparison.TestMetrics;
        sb.Append("<table><thead><tr><th>run</th><th>experiment</th><th>method</th><th>status</th><th>seed</th><th>best epoch</th><th>epochs</th><th>s/epoch</th>");
        foreach (var m in metrics) sb.Append($"<th>test {E(m)}</th>");
        sb.Append("</tr></thead><tbody>\n");
        foreach (var r in comparison.Runs)
        {
            sb.Append($"<tr><td>{E(r.Run.Id)}</td><td class=\"text\">{E(r.Run.Experiment)}</td><td class=\"text\">{E(r.Run.Method ?? "")}</td><td class=\"text\">{E(r.Run.Status)}</td>")
              .Append($"<td>{r.Run.Seed}</td><td>{r.Run.BestEpoch}</td><td>{r.Epochs.Count(e => e.Epoch > 0)}</td><td>{MarkdownReport.Number(r.SecondsPerEpoch, "F3")}</td>");
            foreach (var m in metrics)
                sb.Append(r.Metric("test", m) is { } v
                    ? $"<td>{MarkdownReport.Number(v.Mean, "F5")} ± {MarkdownReport.Number(v.StandardError, "F5")}</td>"
                    : "<td></td>");
            sb.Append("</tr>\n");
        }
        sb.Append("</tbody></table>\n");

        var errors = comparison.Runs.Where(r => r.Run.Error is not null).ToList();
        if (errors.Count > 0)
        {
            sb.Append("<h2>Errors</h2><ul>\n");
            foreach (var r in errors) sb.Append($"<li>{E(r.Run.Id)} ({E(r.Run.Status)}): {E(r.Run.Error!)}</li>\n");
            sb.Append("</ul>\n");
        }

        sb.Append("<h2>Configuration differences</h2>\n");
        var differences = comparison.ConfigDifferences;
        if (differences.Count == 0) sb.Append("<p>The runs share every configuration key.</p>\n");
        else
        {
            sb.Append("<table><thead><tr><th>key</th>");
            foreach (var r in comparison.Runs) sb.Append($"<th>{E(r.Run.Id)}</th>");
            sb.Append("</tr></thead><tbody>\n");
            foreach (var (key, values) in differences)
                sb.Append($"<tr><td>{E(key)}</td>{string.Concat(values.Select(v => $"<td class=\"text\">{E(v)}</td>"))}</tr>\n");
            sb.Append("</tbody></table>\n");
        }

        sb.Append("<h2>Training curves</h2>\n");
        if (charts.Count == 0) sb.Append("<p>No epochs were recorded.</p>\n");
        foreach (var (title, file) in charts)
            sb.Append($"<figure><img src=\"{E(file)}\" alt=\"{E(title)}\" width=\"{TrainingCurves.Width}\" height=\"{TrainingCurves.Height}\"><figcaption>{E(title)}</figcaption></figure>\n");
        sb.Append("</body></html>\n");
        return sb.ToString();
    }

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
