using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Untangle.Contracts.Analysis;

namespace Untangle.Host.Disentanglement;

/// <summary>One finished run as the study sees it: its model (experiment), seed, and the values it reported.</summary>
internal sealed record StudyRun(string Model, int Seed, IReadOnlyDictionary<string, double> Values);

/// <summary>
/// The questions of Locatello et al. (ICML 2019, sec. 5, figs. 2-4 and 7) asked of a benchmark's runs:
/// each disentanglement metric per model (mean ± s.e. over seeds); do the metrics agree (Spearman rank
/// correlation between every pair, over all runs); does disentanglement go with recommendation
/// accuracy (Spearman of each metric with the target test metric); and do seeds or models move the
/// metrics more (the spread over seeds within a model against the spread of the models' means, and
/// the share of the metric's variance that the model explains, a one-way ANOVA's η²).
/// Which values are metrics: every key starting with the study's prefix, except the rotated
/// controls ("_rotated") and the bookkeeping counts.
/// </summary>
internal sealed class MetricStudy
{
    private static readonly string[] Bookkeeping = ["measured_users", "codes", "factors", "factorvae_active_codes"];

    public MetricStudy(IReadOnlyList<StudyRun> runs, IReadOnlyList<string> models, string prefix, string target)
    {
        Runs = runs;
        Models = models;
        Target = target;
        Metrics = runs.SelectMany(r => r.Values.Keys)
            .Where(k => k.StartsWith(prefix, StringComparison.Ordinal) && !k.EndsWith("_rotated", StringComparison.Ordinal)
                        && !Bookkeeping.Contains(k[prefix.Length..]))
            .Distinct().Order(StringComparer.Ordinal).ToList();
        Prefix = prefix;
    }

    public IReadOnlyList<StudyRun> Runs { get; }
    public IReadOnlyList<string> Models { get; }
    public IReadOnlyList<string> Metrics { get; }
    public string Prefix { get; }
    public string Target { get; }

    public string Short(string metric) => metric.StartsWith(Prefix, StringComparison.Ordinal) ? metric[Prefix.Length..] : metric;

    private double[] Column(string key) => Runs.Select(r => r.Values.GetValueOrDefault(key, double.NaN)).ToArray();

    /// <summary>Spearman's ρ between every pair of metrics over all runs.</summary>
    public double[,] MetricCorrelations()
    {
        var m = new double[Metrics.Count, Metrics.Count];
        for (int a = 0; a < Metrics.Count; a++)
            for (int b = 0; b < Metrics.Count; b++)
                m[a, b] = Spearman(Column(Metrics[a]), Column(Metrics[b]));
        return m;
    }

    /// <summary>Spearman's ρ between each metric and the target over all runs.</summary>
    public double[] TargetCorrelations() => Metrics.Select(k => Spearman(Column(k), Column(Target))).ToArray();

    /// <summary>Per metric: the mean over models of the standard deviation over seeds; the standard deviation of the models' means; η² = between-model sum of squares / total.</summary>
    public (double SeedSpread, double ModelSpread, double ModelShare)[] Spreads() => Metrics.Select(key =>
    {
        var groups = Models.Select(model => Runs.Where(r => r.Model == model).Select(r => r.Values.GetValueOrDefault(key, double.NaN))
            .Where(double.IsFinite).ToArray()).Where(g => g.Length > 0).ToList();
        if (groups.Count == 0) return (double.NaN, double.NaN, double.NaN);
        var all = groups.SelectMany(g => g).ToArray();
        double grand = all.Average();
        double total = all.Sum(v => (v - grand) * (v - grand));
        double between = groups.Sum(g => g.Length * (g.Average() - grand) * (g.Average() - grand));
        var means = groups.Select(g => g.Average()).ToArray();
        return (groups.Where(g => g.Length > 1).Select(SampleStatistics.StandardDeviation).DefaultIfEmpty(double.NaN).Average(),
            means.Length > 1 ? SampleStatistics.StandardDeviation(means) : double.NaN,
            total > 0 ? between / total : double.NaN);
    }).ToArray();

    /// <summary>Mean and sample standard error of a key over one model's seeds.</summary>
    public (double Mean, double Se) Of(string model, string key)
    {
        var v = Runs.Where(r => r.Model == model).Select(r => r.Values.GetValueOrDefault(key, double.NaN)).Where(double.IsFinite).ToArray();
        if (v.Length == 0) return (double.NaN, double.NaN);
        return (v.Average(), v.Length > 1 ? SampleStatistics.StandardDeviation(v) / Math.Sqrt(v.Length) : double.NaN);
    }

    public string Render()
    {
        var sb = new StringBuilder();
        var names = Metrics.Select(Short).ToList();
        int first = Math.Max(10, Models.Max(m => m.Length));
        sb.Append($"disentanglement study: {Runs.Count} runs, {Models.Count} models; metrics {Prefix}* (and _rotated: the same codes randomly rotated)\n\n");
        sb.Append("per model, mean ± s.e. over seeds (rotated in brackets)\n");
        sb.Append("model".PadRight(first));
        foreach (var n in names.Append(Target)) sb.Append("  ").Append(n.PadLeft(24));
        sb.Append('\n');
        foreach (var model in Models)
        {
            sb.Append(model.PadRight(first));
            foreach (var key in Metrics)
            {
                var (mean, se) = Of(model, key);
                var (rotated, _) = Of(model, key + "_rotated");
                sb.Append("  ").Append($"{F(mean, "F3")} ± {F(se, "F3")} [{F(rotated, "F3")}]".PadLeft(24));
            }
            var (t, tse) = Of(model, Target);
            sb.Append("  ").Append($"{F(t, "F4")} ± {F(tse, "F4")}".PadLeft(24)).Append('\n');
        }

        sb.Append("\nSpearman rank correlation between metrics over all runs (do the metrics agree?)\n");
        int width = Math.Max(8, names.Max(n => n.Length));
        sb.Append("".PadRight(width));
        foreach (var n in names) sb.Append("  ").Append(Abbreviation(n).PadLeft(6));
        sb.Append('\n');
        var correlations = MetricCorrelations();
        for (int a = 0; a < names.Count; a++)
        {
            sb.Append(names[a].PadRight(width));
            for (int b = 0; b < names.Count; b++) sb.Append("  ").Append(F(correlations[a, b], "+0.00;-0.00").PadLeft(6));
            sb.Append('\n');
        }

        sb.Append($"\neach metric against test {Target} over all runs, and the spread over seeds against the spread over models\n");
        sb.Append("metric".PadRight(width)).Append($"  {"rho(" + Target + ")",14}  {"sd seeds",9}  {"sd models",9}  {"model share",11}\n");
        var target = TargetCorrelations();
        var spreads = Spreads();
        for (int a = 0; a < names.Count; a++)
            sb.Append(names[a].PadRight(width))
              .Append($"  {F(target[a], "+0.00;-0.00"),14}  {F(spreads[a].SeedSpread, "F4"),9}  {F(spreads[a].ModelSpread, "F4"),9}  {F(spreads[a].ModelShare, "F2"),11}\n");
        sb.Append("(model share: the fraction of a metric's variance over runs that the model explains, one-way ANOVA η²)\n");
        return sb.ToString();
    }

    public JsonObject ToJson()
    {
        var correlations = MetricCorrelations();
        var target = TargetCorrelations();
        var spreads = Spreads();
        var names = Metrics.Select(Short).ToList();
        return new JsonObject
        {
            ["prefix"] = Prefix,
            ["target"] = Target,
            ["metrics"] = new JsonArray(names.Select(n => (JsonNode)n).ToArray()),
            ["models"] = new JsonObject(Models.Select(model => KeyValuePair.Create(model, (JsonNode?)new JsonObject(
                Metrics.Append(Target).SelectMany(k => new[] { k, k + "_rotated" }).Where(k => Runs.Any(r => r.Values.ContainsKey(k)))
                    .Select(k => KeyValuePair.Create(Short(k), (JsonNode?)Summary(Of(model, k)))))))),
            ["spearman_between_metrics"] = new JsonObject(names.Select((a, i) => KeyValuePair.Create(a, (JsonNode?)new JsonObject(
                names.Select((b, j) => KeyValuePair.Create(b, Number(correlations[i, j]))))))),
            ["spearman_with_target"] = new JsonObject(names.Select((a, i) => KeyValuePair.Create(a, Number(target[i])))),
            ["spread"] = new JsonObject(names.Select((a, i) => KeyValuePair.Create(a, (JsonNode?)new JsonObject
            {
                ["sd_over_seeds"] = Number(spreads[i].SeedSpread), ["sd_over_models"] = Number(spreads[i].ModelSpread),
                ["model_share_of_variance"] = Number(spreads[i].ModelShare),
            }))),
            ["runs"] = new JsonArray(Runs.Select(r => (JsonNode)new JsonObject
            {
                ["model"] = r.Model, ["seed"] = r.Seed,
                ["values"] = new JsonObject(Metrics.Append(Target).Select(k => KeyValuePair.Create(Short(k), Number(r.Values.GetValueOrDefault(k, double.NaN))))),
            }).ToArray()),
        };
    }

    private static JsonObject Summary((double Mean, double Se) s) => new() { ["mean"] = Number(s.Mean), ["standard_error"] = Number(s.Se) };

    private static JsonNode? Number(double v) => double.IsFinite(v) ? JsonValue.Create(v) : null;

    private static string F(double v, string format) => double.IsFinite(v) ? v.ToString(format, CultureInfo.InvariantCulture) : "n/a";

    /// <summary>Up to six characters of a metric's name for the correlation table's header.</summary>
    internal static string Abbreviation(string metric) => metric
        .Replace("dci_disentanglement", "dci_d").Replace("dci_completeness", "dci_c").Replace("dci_informativeness", "dci_i")
        .Replace("explicitness", "explic").Replace("modularity", "modul").Replace("factorvae", "fvae").Replace("betavae", "bvae") is var a && a.Length > 6 ? a[..6] : a;

    /// <summary>Spearman's ρ over the pairs where both values are finite (NaN for fewer than 3 pairs or a constant side).</summary>
    public static double Spearman(double[] x, double[] y)
    {
        var pairs = x.Zip(y).Where(p => double.IsFinite(p.First) && double.IsFinite(p.Second)).ToArray();
        return pairs.Length < 3 ? double.NaN : Correlation.Spearman(pairs.Select(p => p.First).ToArray(), pairs.Select(p => p.Second).ToArray());
    }
}
