using System.Text.Json;

namespace Untangle.Host.Composition;

/// <summary>
/// A named benchmark from plugins.json: experiments run with several seeds and summarised side by
/// side, optionally next to reference numbers from a paper's table, and optionally as paired
/// differences against one of its experiments (the "baseline": with the same seed, the same split).
/// <code>
/// "benchmarks": { "baselines-synthetic": { "experiments": ["mostpop-synthetic", "bpr-mf-synthetic"], "seeds": [1, 2, 3],
///                 "reference": { "bpr-mf-synthetic": { "recall@20": 0.1 } }, "reference_source": "Table 2",
///                 "baseline": "mostpop-synthetic" } }
/// </code>
/// A benchmark over several data sets names each experiment's own baseline instead, as an object
/// (experiment → baseline, both among its experiments): <c>"baseline": {"dgcf-ml100k": "lightgcn-ml100k",
/// "dgcf-synthetic": "lightgcn-synthetic"}</c>; a pair only means something on the same data.
/// </summary>
public sealed record Benchmark(string Name, IReadOnlyList<string> Experiments, IReadOnlyList<int> Seeds,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>> Reference, string? ReferenceSource, string? Baseline = null)
{
    private static readonly string[] Keys = ["experiments", "seeds", "reference", "reference_source", "baseline", "study", "steer"];

    /// <summary>
    /// A metric study over the runs ("study": {"prefix": "disentanglement.users.", "target": "ndcg@100"}):
    /// the analysis values under the prefix, compared with each other and with the target test metric
    /// (Untangle.Host.Disentanglement.MetricStudy). Null when the benchmark has none.
    /// </summary>
    public (string Prefix, string Target)? Study { get; init; }

    /// <summary>Each experiment's own baseline, when "baseline" is an object; empty when it is one name (<see cref="Baseline"/>).</summary>
    public IReadOnlyDictionary<string, string> Baselines { get; init; } = new Dictionary<string, string>();

    /// <summary>The experiment <paramref name="experiment"/> is paired with, or null (none, or it is that baseline).</summary>
    public string? BaselineOf(string experiment)
    {
        var baseline = Baselines.TryGetValue(experiment, out var own) ? own : Baseline;
        return baseline == experiment ? null : baseline;
    }

    /// <summary>True when some experiment has a baseline to be paired with.</summary>
    public bool HasBaselines => Baseline is not null || Baselines.Count > 0;

    /// <summary>
    /// Controllability of the runs' steering axes ("steer": {"users": 200, "steps": [-3, …, 3], "top": 20}),
    /// measured on each finished run (<see cref="Untangle.Host.Steering.Controllability"/>). Null when the benchmark has none.
    /// </summary>
    public Steering.SteerBenchSettings? Steer { get; init; }

    public static Benchmark FromJson(string file, string name, JsonElement e, IReadOnlyDictionary<string, ConfigSource> experiments)
    {
        string Where(string key) => $"{file}: benchmark '{name}' {key}";
        if (e.ValueKind != JsonValueKind.Object) throw new ConfigurationException($"{Where("")}must be an object");
        foreach (var p in e.EnumerateObject().Where(p => !Keys.Contains(p.Name)))
            throw new ConfigurationException($"{Where("")}has unknown key '{p.Name}'; expected {string.Join(", ", Keys)}");
        if (!e.TryGetProperty("experiments", out var list) || list.ValueKind != JsonValueKind.Array || list.GetArrayLength() == 0)
            throw new ConfigurationException($"{Where("experiments")}: expected a non-empty list of experiment names");
        var names = list.EnumerateArray().Select(x => x.GetString() ?? "").ToList();
        foreach (var n in names.Where(n => !experiments.ContainsKey(n)))
            throw new ConfigurationException($"{Where("experiments")}: unknown experiment '{n}'; experiments: {string.Join(", ", experiments.Keys.Order())}");
        if (FirstRepeat(names) is { } twice)
            throw new ConfigurationException($"{Where("experiments")}: '{twice}' is listed twice; expected each experiment once (its runs share one folder and one row)");

        var seeds = new List<int> { 1, 2, 3 };
        if (e.TryGetProperty("seeds", out var s))
        {
            seeds = s.ValueKind switch
            {
                JsonValueKind.Array => s.EnumerateArray().Select(x => x.TryGetInt32(out var v) ? v : throw new ConfigurationException($"{Where("seeds")}: {x.GetRawText()} is not an integer")).ToList(),
                JsonValueKind.Number when s.TryGetInt32(out var count) && count > 0 => Enumerable.Range(1, count).ToList(),
                _ => throw new ConfigurationException($"{Where("seeds")}: expected a list of seeds or a positive count"),
            };
            if (FirstRepeat(seeds) is { } again)
                throw new ConfigurationException($"{Where("seeds")}: seed {again} is listed twice; expected distinct seeds");
        }

        var reference = new Dictionary<string, IReadOnlyDictionary<string, double>>(StringComparer.Ordinal);
        if (e.TryGetProperty("reference", out var r))
            foreach (var exp in r.EnumerateObject())
                reference[exp.Name] = exp.Value.EnumerateObject().ToDictionary(m => m.Name, m => m.Value.GetDouble());
        string? source = e.TryGetProperty("reference_source", out var src) ? src.GetString() : null;
        string? baseline = null;
        var baselines = new Dictionary<string, string>(StringComparer.Ordinal);
        if (e.TryGetProperty("baseline", out var b))
        {
            string expected = $"expected one of its experiments ({string.Join(", ", names)}), or an object naming each experiment's own baseline among them";
            if (b.ValueKind == JsonValueKind.Object)
            {
                foreach (var pair in b.EnumerateObject())
                {
                    string? own = pair.Value.ValueKind == JsonValueKind.String ? pair.Value.GetString() : null;
                    if (!names.Contains(pair.Name) || own is null || !names.Contains(own))
                        throw new ConfigurationException($"{Where("baseline")}: \"{pair.Name}\": {pair.Value.GetRawText()} is not a pair of its experiments; {expected}");
                    baselines[pair.Name] = own;
                }
            }
            else
            {
                baseline = b.ValueKind == JsonValueKind.String ? b.GetString() : null;
                if (baseline is null || !names.Contains(baseline))
                    throw new ConfigurationException($"{Where("baseline")}: {b.GetRawText()} is not one of its experiments; {expected}");
            }
        }
        (string, string)? study = null;
        if (e.TryGetProperty("study", out var st))
        {
            string? prefix = st.ValueKind == JsonValueKind.Object && st.TryGetProperty("prefix", out var px) && px.ValueKind == JsonValueKind.String ? px.GetString() : null;
            string? target = st.ValueKind == JsonValueKind.Object && st.TryGetProperty("target", out var tg) && tg.ValueKind == JsonValueKind.String ? tg.GetString() : null;
            if (string.IsNullOrEmpty(prefix) || string.IsNullOrEmpty(target) || st.EnumerateObject().Any(x => x.Name is not ("prefix" or "target")))
                throw new ConfigurationException($"{Where("study")}: {st.GetRawText()} is not valid; expected {{\"prefix\": \"disentanglement.users.\", \"target\": \"ndcg@100\"}} (an analysis key prefix and a test metric)");
            study = (prefix, target);
        }
        Steering.SteerBenchSettings? steer = null;
        if (e.TryGetProperty("steer", out var sr))
        {
            const string expected = "{\"users\": 200, \"steps\": [-3, -2, -1, 0, 1, 2, 3], \"top\": 20} (each optional; steps must include 0)";
            if (sr.ValueKind != JsonValueKind.Object || sr.EnumerateObject().Any(x => x.Name is not ("users" or "steps" or "top")))
                throw new ConfigurationException($"{Where("steer")}: {sr.GetRawText()} is not valid; expected {expected}");
            var d = Steering.SteerBenchSettings.Default;
            try
            {
                int users = sr.TryGetProperty("users", out var us) ? us.GetInt32() : d.Users;
                int top = sr.TryGetProperty("top", out var tp) ? tp.GetInt32() : d.Top;
                var steps = sr.TryGetProperty("steps", out var sp) ? sp.EnumerateArray().Select(x => x.GetDouble()).ToList() : d.Steps.ToList();
                if (users < 1 || top < 1 || !steps.Contains(0) || steps.Count < 2 || steps.Distinct().Count() != steps.Count)
                    throw new FormatException();
                steer = new Steering.SteerBenchSettings(users, [.. steps.Order()], top);
            }
            catch (Exception x) when (x is FormatException or InvalidOperationException)
            {
                throw new ConfigurationException($"{Where("steer")}: {sr.GetRawText()} is not valid; expected {expected}");
            }
        }
        return new Benchmark(name, names, seeds, reference, source, baseline) { Study = study, Steer = steer, Baselines = baselines };
    }

    /// <summary>
    /// This benchmark with only the experiments named in <paramref name="text"/> (--experiments a,b), in its
    /// own order; a pair whose baseline is left out has no paired row. A name it does not list is refused.
    /// </summary>
    public Benchmark Only(string text)
    {
        var names = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (names.Length == 0) throw new ConfigurationException($"--experiments {text}: expected experiment names separated by commas");
        foreach (var n in names.Where(n => !Experiments.Contains(n)))
            throw new ConfigurationException($"--experiments {text}: benchmark '{Name}' has no experiment '{n}'; its experiments: {string.Join(", ", Experiments)}");
        if (FirstRepeat(names) is { } twice)
            throw new ConfigurationException($"--experiments {text}: '{twice}' is listed twice; expected each experiment once");
        return this with { Experiments = Experiments.Where(names.Contains).ToList() };
    }

    /// <summary>Seeds given on the command line (--seeds 1,2,3 or --seeds 5) replace the declared ones.</summary>
    public static IReadOnlyList<int> ParseSeeds(string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 1 && int.TryParse(parts[0], out var count) && count > 0 && !text.Contains(','))
            return Enumerable.Range(1, count).ToList();
        var seeds = parts.Select(p => int.TryParse(p, out var v) ? v : throw new ConfigurationException($"--seeds {text}: expected a count such as 5 or a list such as 1,2,3")).ToList();
        return FirstRepeat(seeds) is { } again
            ? throw new ConfigurationException($"--seeds {text}: seed {again} is listed twice; expected distinct seeds")
            : seeds;
    }

    /// <summary>The first value that occurs a second time, as text, or null. A repeated seed or experiment would run into the folder of its first run and give two rows for one seed.</summary>
    private static string? FirstRepeat<T>(IEnumerable<T> values) where T : notnull =>
        values.GroupBy(v => v).Where(g => g.Count() > 1).Select(g => g.Key.ToString()).FirstOrDefault();
}
