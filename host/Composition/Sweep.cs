using System.Globalization;
using System.Text.Json;

namespace Untangle.Host.Composition;

/// <summary>
/// One swept setting: a list of values (a grid axis, or a random search's choices), or a range a random
/// search draws from: <c>{"log_uniform": [1e-4, 1e-2]}</c>, <c>{"uniform": [0, 0.5]}</c>, <c>{"int_uniform": [16, 128]}</c>.
/// </summary>
public sealed record SweepParameter(string Key, IReadOnlyList<string>? Values, string? Distribution = null, double Low = 0, double High = 0);

/// <summary>
/// A hyper-parameter search from plugins.json's "sweeps" (or a file of its own): an experiment, the
/// settings to vary, grid or random search, the seeds every configuration runs with, and the validation
/// metric a configuration is chosen on (default: the experiment's train.validation_metric; higher is better).
/// <code>
/// "sweeps": { "bpr-mf-ml100k-lr-dim": { "experiment": "bpr-mf-ml100k", "search": "grid",
///             "parameters": { "train.lr": [0.0005, 0.001, 0.005], "hyper.embedding_dim": [32, 64] }, "seeds": [1, 2, 3] } }
/// "search": "random", "trials": 12, "sampler_seed": 7, "parameters": { "train.lr": {"log_uniform": [1e-4, 1e-2]}, ... }
/// </code>
/// The configurations are what a user passes as --set: each one is resolved before any task runs, so
/// an unknown key or a value out of range fails first.
/// </summary>
public sealed record Sweep(string Name, string Experiment, string Search, IReadOnlyList<SweepParameter> Parameters, int Trials,
    int SamplerSeed, IReadOnlyList<int> Seeds, string? Metric)
{
    private static readonly string[] Keys = ["experiment", "search", "parameters", "trials", "sampler_seed", "seeds", "metric", "$comment", "name"];
    private static readonly string[] Distributions = ["uniform", "log_uniform", "int_uniform"];

    /// <summary>The configurations, each a list of (key, value) in the parameters' order: the grid's product, or the random search's draws (repeats dropped).</summary>
    public IReadOnlyList<IReadOnlyList<(string Key, string Value)>> Configurations()
    {
        if (Search == "grid")
        {
            IEnumerable<IReadOnlyList<(string, string)>> product = [[]];
            foreach (var p in Parameters)
                product = product.SelectMany(c => p.Values!.Select(v => (IReadOnlyList<(string, string)>)[.. c, (p.Key, v)])).ToList();
            return product.ToList();
        }
        var random = new Random(SamplerSeed);
        var drawn = new List<IReadOnlyList<(string Key, string Value)>>();
        for (int t = 0; t < Trials; t++)
        {
            var configuration = Parameters.Select(p => (p.Key, Draw(p, random))).ToList();
            if (!drawn.Any(d => d.SequenceEqual(configuration))) drawn.Add(configuration);
        }
        return drawn;
    }

    private static string Draw(SweepParameter p, Random random)
    {
        double u = random.NextDouble();
        return p.Distribution switch
        {
            null => p.Values![random.Next(p.Values.Count)],
            "uniform" => (p.Low + u * (p.High - p.Low)).ToString("G6", CultureInfo.InvariantCulture),
            "log_uniform" => Math.Exp(Math.Log(p.Low) + u * (Math.Log(p.High) - Math.Log(p.Low))).ToString("G6", CultureInfo.InvariantCulture),
            _ => ((long)Math.Floor(p.Low + u * (p.High - p.Low + 1))).ToString(CultureInfo.InvariantCulture),
        };
    }

    /// <summary>A sweep of its own file (`sweep FILE.json`): the same object as in plugins.json; its name is "name" or the file's.</summary>
    public static Sweep FromFile(string file, IReadOnlyDictionary<string, ConfigSource> experiments)
    {
        if (!File.Exists(file)) throw new ConfigurationException($"{file}: sweep file not found");
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(file), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            var name = doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String
                ? n.GetString()! : Path.GetFileNameWithoutExtension(file);
            return FromJson(file, name, doc.RootElement, experiments);
        }
        catch (JsonException e)
        {
            throw new ConfigurationException($"{file}:{(e.LineNumber ?? 0) + 1}: not valid JSON ({e.Message.Split(" Path:")[0]})");
        }
    }

    public static Sweep FromJson(string file, string name, JsonElement e, IReadOnlyDictionary<string, ConfigSource> experiments)
    {
        string Where(string key) => $"{file}: sweep '{name}'{(key.Length > 0 ? $" {key}" : "")}";
        if (e.ValueKind != JsonValueKind.Object) throw new ConfigurationException($"{Where("")}: must be an object");
        foreach (var p in e.EnumerateObject().Where(p => !Keys.Contains(p.Name)))
            throw new ConfigurationException($"{Where("")}: unknown key '{p.Name}'; expected {string.Join(", ", Keys.Where(k => k is not ("$comment" or "name")))}");
        var experiment = e.TryGetProperty("experiment", out var x) && x.ValueKind == JsonValueKind.String ? x.GetString()! : "";
        if (!experiments.ContainsKey(experiment))
            throw new ConfigurationException($"{Where("experiment")}: '{experiment}' is not an experiment; expected one of {string.Join(", ", experiments.Keys.Order())}");
        var search = e.TryGetProperty("search", out var s) ? s.GetString() ?? "" : "grid";
        if (search is not ("grid" or "random"))
            throw new ConfigurationException($"{Where("search")}: '{search}'; expected grid or random");
        if (!e.TryGetProperty("parameters", out var ps) || ps.ValueKind != JsonValueKind.Object || !ps.EnumerateObject().Any())
            throw new ConfigurationException($"{Where("parameters")}: expected an object of setting → list of values (or, for random search, a range such as {{\"log_uniform\": [1e-4, 1e-2]}})");
        var parameters = ps.EnumerateObject().Select(p => Parameter(Where($"parameters.{p.Name}"), p.Name, p.Value, search)).ToList();
        int trials = 0;
        if (search == "random")
        {
            if (!e.TryGetProperty("trials", out var t) || !t.TryGetInt32(out trials) || trials < 1)
                throw new ConfigurationException($"{Where("trials")}: random search needs \"trials\": a positive number of configurations to draw");
        }
        else if (e.TryGetProperty("trials", out _) || e.TryGetProperty("sampler_seed", out _))
            throw new ConfigurationException($"{Where("")}: trials and sampler_seed belong to \"search\": \"random\"; a grid runs every combination");
        int samplerSeed = 0;
        if (e.TryGetProperty("sampler_seed", out var ss) && !ss.TryGetInt32(out samplerSeed))
            throw new ConfigurationException($"{Where("sampler_seed")}: {ss.GetRawText()} is not an integer");
        var seeds = e.TryGetProperty("seeds", out var sd) ? ReadSeeds(Where("seeds"), sd) : [1, 2, 3];
        string? metric = null;
        if (e.TryGetProperty("metric", out var m))
            metric = m.ValueKind == JsonValueKind.String && m.GetString() is { Length: > 0 } text ? text
                : throw new ConfigurationException($"{Where("metric")}: expected a validation metric name such as \"ndcg@20\"");
        return new Sweep(name, experiment, search, parameters, trials, samplerSeed, seeds, metric);
    }

    private static SweepParameter Parameter(string where, string key, JsonElement value, string search)
    {
        if (value.ValueKind == JsonValueKind.Array)
        {
            var values = value.EnumerateArray().Select(v => v.ValueKind switch
            {
                JsonValueKind.String => v.GetString()!,
                JsonValueKind.Number => v.GetRawText(),
                JsonValueKind.True or JsonValueKind.False => v.GetRawText(),
                _ => throw new ConfigurationException($"{where}: {v.GetRawText()} is not a setting value; expected numbers, strings or true/false"),
            }).ToList();
            if (values.Count == 0) throw new ConfigurationException($"{where}: an empty list; expected at least one value");
            if (values.Distinct().Count() != values.Count) throw new ConfigurationException($"{where}: a value is listed twice; expected distinct values");
            return new SweepParameter(key, values);
        }
        if (value.ValueKind == JsonValueKind.Object && value.EnumerateObject().ToList() is [var range]
            && Distributions.Contains(range.Name) && range.Value.ValueKind == JsonValueKind.Array
            && range.Value.EnumerateArray().Select(b => b.TryGetDouble(out var d) ? d : double.NaN).ToList() is [var low, var high]
            && double.IsFinite(low) && double.IsFinite(high) && low < high && (range.Name != "log_uniform" || low > 0))
        {
            if (search != "random")
                throw new ConfigurationException($"{where}: a range needs \"search\": \"random\"; a grid takes a list of values");
            return new SweepParameter(key, null, range.Name, low, high);
        }
        throw new ConfigurationException($"{where}: {value.GetRawText()} is not valid; expected a list of values, or {{\"uniform\" | \"log_uniform\" | \"int_uniform\": [low, high]}} with low < high (log_uniform: low > 0)");
    }

    private static IReadOnlyList<int> ReadSeeds(string where, JsonElement s)
    {
        var seeds = s.ValueKind switch
        {
            JsonValueKind.Array => s.EnumerateArray().Select(x => x.TryGetInt32(out var v) ? v : throw new ConfigurationException($"{where}: {x.GetRawText()} is not an integer")).ToList(),
            JsonValueKind.Number when s.TryGetInt32(out var count) && count > 0 => Enumerable.Range(1, count).ToList(),
            _ => throw new ConfigurationException($"{where}: expected a list of seeds or a positive count"),
        };
        if (seeds.Count == 0 || seeds.Distinct().Count() != seeds.Count)
            throw new ConfigurationException($"{where}: expected distinct seeds, at least one");
        return seeds;
    }
}
