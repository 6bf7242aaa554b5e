using ScottPlot;
using Untangle.Host.Reports;

namespace Untangle.Host.Disentanglement;

/// <summary>
/// The study's pictures, as Locatello et al.'s figures 2 and 3 (ScottPlot PNGs): a heatmap of the
/// Spearman correlations between metrics, and one scatter per metric of its value against the
/// target test metric, a colour per model. Returns each chart's title and file name.
/// </summary>
internal static class StudyCharts
{
    public const string CorrelationsFile = "metric-correlations.png";

    public static IReadOnlyList<(string Title, string File)> Render(MetricStudy study, string folder)
    {
        Directory.CreateDirectory(folder);
        var charts = new List<(string, string)> { Heatmap(study, folder) };
        var rho = study.TargetCorrelations();
        for (int m = 0; m < study.Metrics.Count; m++)
            charts.Add(Scatter(study, study.Metrics[m], rho[m], folder));
        return charts;
    }

    private static (string, string) Heatmap(MetricStudy study, string folder)
    {
        var names = study.Metrics.Select(study.Short).ToArray();
        int n = names.Length;
        var correlations = study.MetricCorrelations();
        // ScottPlot draws a heatmap's row 0 at the top, where metric 0's label is (y = n − 1).
        var data = new double[n, n];
        for (int a = 0; a < n; a++) for (int b = 0; b < n; b++) data[a, b] = double.IsFinite(correlations[a, b]) ? correlations[a, b] : 0;
        var plot = new Plot();
        var heatmap = plot.Add.Heatmap(data);
        heatmap.Colormap = new ScottPlot.Colormaps.MellowRainbow();
        heatmap.ManualRange = new ScottPlot.Range(-1, 1);
        for (int a = 0; a < n; a++)
            for (int b = 0; b < n; b++)
            {
                var label = plot.Add.Text(double.IsFinite(correlations[a, b]) ? correlations[a, b].ToString("0.00", System.Globalization.CultureInfo.InvariantCulture) : "n/a", b, n - 1 - a);
                label.LabelAlignment = Alignment.MiddleCenter;
                label.LabelFontSize = 11;
            }
        plot.Add.ColorBar(heatmap);
        var ticks = Enumerable.Range(0, n).Select(i => (double)i).ToArray();
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks, names);
        plot.Axes.Bottom.TickLabelStyle.Rotation = 45;
        plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleLeft;
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks, names.Reverse().ToArray());
        plot.Title($"Spearman correlation between metrics ({study.Runs.Count} runs)");
        plot.Layout.Fixed(new PixelPadding(170, 110, 170, 50));
        plot.SavePng(Path.Combine(folder, CorrelationsFile), 900, 820);
        return ("Spearman correlation between disentanglement metrics", CorrelationsFile);
    }

    private static (string, string) Scatter(MetricStudy study, string metric, double rho, string folder)
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        int i = 0;
        foreach (var model in study.Models)
        {
            var runs = study.Runs.Where(r => r.Model == model
                && double.IsFinite(r.Values.GetValueOrDefault(metric, double.NaN)) && double.IsFinite(r.Values.GetValueOrDefault(study.Target, double.NaN))).ToList();
            if (runs.Count == 0) { i++; continue; }
            var points = plot.Add.ScatterPoints(runs.Select(r => r.Values[metric]).ToArray(), runs.Select(r => r.Values[study.Target]).ToArray());
            points.Color = palette.GetColor(i++);
            points.MarkerSize = 9;
            points.LegendText = model;
        }
        string name = study.Short(metric);
        plot.Title($"{name} against test {study.Target} (Spearman {(double.IsFinite(rho) ? rho.ToString("+0.00;-0.00", System.Globalization.CultureInfo.InvariantCulture) : "n/a")})");
        plot.XLabel(name);
        plot.YLabel($"test {study.Target}");
        plot.ShowLegend(Edge.Right);
        var file = $"scatter-{TrainingCurves.Slug(name)}.png";
        plot.SavePng(Path.Combine(folder, file), 860, 480);
        return ($"{name} against test {study.Target}", file);
    }
}
