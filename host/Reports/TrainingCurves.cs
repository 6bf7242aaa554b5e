using System.Text;

namespace Untangle.Host.Reports;

/// <summary>
/// Training curves as PNG images (ScottPlot): one chart per loss and one per validation metric, with
/// a line per run over the epochs it recorded. Returns each chart's title and file name.
/// </summary>
public static class TrainingCurves
{
    public const int Width = 720, Height = 440;

    public static IReadOnlyList<(string Title, string File)> Render(RunComparison comparison, string folder)
    {
        Directory.CreateDirectory(folder);
        var charts = new List<(string, string)>();
        foreach (var loss in comparison.Losses)
            charts.Add(Chart(comparison, folder, $"loss: {loss}", "loss", $"loss-{Slug(loss)}.png", e => e.Losses.GetValueOrDefault(loss, double.NaN)));
        foreach (var metric in comparison.ValidationMetrics)
            charts.Add(Chart(comparison, folder, $"validation: {metric}", metric, $"validation-{Slug(metric)}.png", e => e.Validation.GetValueOrDefault(metric, double.NaN)));
        return charts;
    }

    private static (string, string) Chart(RunComparison comparison, string folder, string title, string yLabel, string file, Func<Store.StoredEpochRow, double> value)
    {
        var plot = new ScottPlot.Plot();
        foreach (var run in comparison.Runs)
        {
            var points = run.Epochs.Where(e => e.Epoch > 0 && double.IsFinite(value(e))).ToList();
            if (points.Count == 0) continue;
            var line = plot.Add.Scatter(points.Select(e => (double)e.Epoch).ToArray(), points.Select(value).ToArray());
            line.LegendText = run.Run.Id;
        }
        plot.Title(title);
        plot.XLabel("epoch");
        plot.YLabel(yLabel);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        plot.ShowLegend(ScottPlot.Edge.Bottom); // below the chart: run ids are long and must not hide a curve
        plot.SavePng(Path.Combine(folder, file), Width, Height);
        return (title, file);
    }

    /// <summary>A file-name-safe form of a metric or loss name ("ndcg@20" → "ndcg-20").</summary>
    public static string Slug(string name)
    {
        var sb = new StringBuilder();
        foreach (var ch in name) sb.Append(char.IsAsciiLetterOrDigit(ch) || ch is '_' or '.' ? ch : '-');
        return sb.ToString();
    }
}
