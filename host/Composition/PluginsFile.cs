using System.Text.Json;

namespace Untangle.Host.Composition;

/// <summary>
/// plugins.json: which plugin folders load, the named experiments, and the default experiment.
/// <code>
/// { "plugins": ["plugins/Foundation"], "default": "lightgcn-synthetic",
///   "experiments": { "lightgcn-synthetic": { "method": "lightgcn", "dataset.reader": "synthetic", ... },
///                    "lightgcn-synthetic-short": { "extends": "lightgcn-synthetic", "train": { "epochs": 5 } } } }
/// </code>
/// An experiment may extend another of the same file (<see cref="Inherit"/>).
/// </summary>
public sealed class PluginsFile
{
    public required string Path { get; init; }
    public required IReadOnlyList<string> Plugins { get; init; }
    public required string? DefaultExperiment { get; init; }
    public required IReadOnlyDictionary<string, ConfigSource> Experiments { get; init; }
    public IReadOnlyDictionary<string, Benchmark> Benchmarks { get; init; } = new Dictionary<string, Benchmark>();
    /// <summary>Named hyper-parameter searches (`sweep NAME`).</summary>
    public IReadOnlyDictionary<string, Sweep> Sweeps { get; init; } = new Dictionary<string, Sweep>();
    public string Directory => System.IO.Path.GetDirectoryName(Path)!;

    /// <summary>
    /// Finds plugins.json: the explicit path, else UNTANGLE_PLUGINS, else the working directory and its
    /// parents, else the copy beside the host.
    /// </summary>
    public static string Locate(string? explicitPath)
    {
        if (explicitPath is not null)
            return File.Exists(explicitPath) ? System.IO.Path.GetFullPath(explicitPath) : throw new ConfigurationException($"--plugins {explicitPath}: file not found");
        if (Environment.GetEnvironmentVariable("UNTANGLE_PLUGINS") is { Length: > 0 } env)
            return File.Exists(env) ? System.IO.Path.GetFullPath(env) : throw new ConfigurationException($"UNTANGLE_PLUGINS={env}: file not found");
        for (var dir = new DirectoryInfo(System.IO.Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, "plugins.json");
            if (File.Exists(candidate)) return candidate;
        }
        var beside = System.IO.Path.Combine(AppContext.BaseDirectory, "plugins.json");
        return File.Exists(beside) ? beside : throw new ConfigurationException("plugins.json not found in the working directory, its parents or beside the host; pass --plugins FILE");
    }

    public static PluginsFile Load(string path)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new ConfigurationException($"{path}:{(e.LineNumber ?? 0) + 1}: not valid JSON ({e.Message.Split(" Path:")[0]})");
        }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new ConfigurationException($"{path}: expected a JSON object with plugins, default and experiments");
            foreach (var p in root.EnumerateObject())
                if (p.Name is not ("plugins" or "default" or "experiments" or "benchmarks" or "sweeps" or "$comment"))
                    throw new ConfigurationException($"{path}: unknown key '{p.Name}'; expected plugins, default, experiments, benchmarks, sweeps");

            var plugins = new List<string>();
            if (root.TryGetProperty("plugins", out var list))
            {
                if (list.ValueKind != JsonValueKind.Array) throw new ConfigurationException($"{path}: 'plugins' must be a list of folder paths");
                foreach (var item in list.EnumerateArray())
                    plugins.Add(item.ValueKind == JsonValueKind.String ? item.GetString()! : throw new ConfigurationException($"{path}: 'plugins' entries must be strings, found {item.GetRawText()}"));
            }

            var dir = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!;
            var experiments = new Dictionary<string, ConfigSource>(StringComparer.Ordinal);
            if (root.TryGetProperty("experiments", out var exps))
            {
                if (exps.ValueKind != JsonValueKind.Object) throw new ConfigurationException($"{path}: 'experiments' must be an object of named experiments");
                var own = new Dictionary<string, ConfigSource>(StringComparer.Ordinal);
                foreach (var e in exps.EnumerateObject())
                    own[e.Name] = ConfigSource.FromJson($"{System.IO.Path.GetFileName(path)} experiment '{e.Name}'", e.Value) with { BaseDirectory = dir };
                var resolved = new Dictionary<string, ConfigSource>(StringComparer.Ordinal);
                foreach (var name in own.Keys) // in the file's order, whatever order the chains resolve in
                    experiments[name] = Inherit(path, name, own, resolved, []);
            }

            var benchmarks = new Dictionary<string, Benchmark>(StringComparer.Ordinal);
            if (root.TryGetProperty("benchmarks", out var benches))
            {
                if (benches.ValueKind != JsonValueKind.Object) throw new ConfigurationException($"{path}: 'benchmarks' must be an object of named benchmarks");
                foreach (var b in benches.EnumerateObject())
                    benchmarks[b.Name] = Benchmark.FromJson(path, b.Name, b.Value, experiments);
            }

            var sweeps = new Dictionary<string, Sweep>(StringComparer.Ordinal);
            if (root.TryGetProperty("sweeps", out var sweepList))
            {
                if (sweepList.ValueKind != JsonValueKind.Object) throw new ConfigurationException($"{path}: 'sweeps' must be an object of named sweeps");
                foreach (var sw in sweepList.EnumerateObject())
                    sweeps[sw.Name] = Sweep.FromJson(path, sw.Name, sw.Value, experiments);
            }

            string? defaultName = root.TryGetProperty("default", out var d) ? d.GetString() : null;
            if (defaultName is not null && !experiments.ContainsKey(defaultName))
                throw new ConfigurationException($"{path}: default experiment '{defaultName}' is not among the experiments: {string.Join(", ", experiments.Keys)}");
            return new PluginsFile
            {
                Path = System.IO.Path.GetFullPath(path), Plugins = plugins, DefaultExperiment = defaultName, Experiments = experiments, Benchmarks = benchmarks,
                Sweeps = sweeps,
            };
        }
    }

    /// <summary>
    /// An experiment with "extends": "PARENT" starts from PARENT's keys (itself resolved first, so chains
    /// work) and overrides them with its own; "extends" itself is not a key of the result. An unknown
    /// parent or a cycle fails naming the experiment.
    /// </summary>
    private static ConfigSource Inherit(string path, string name, Dictionary<string, ConfigSource> own,
        Dictionary<string, ConfigSource> resolved, List<string> chain)
    {
        if (resolved.TryGetValue(name, out var done)) return done;
        var source = own[name];
        if (!source.Values.TryGetValue("extends", out var parent))
            return resolved[name] = source;
        if (chain.Contains(name))
            throw new ConfigurationException($"{path}: experiment '{name}' extends itself through {string.Join(" -> ", chain.Skip(chain.IndexOf(name)).Append(name))}; expected a chain that ends in an experiment without extends");
        if (!own.ContainsKey(parent))
            throw new ConfigurationException($"{path}: experiment '{name}' extends '{parent}', which is not an experiment in this file; experiments: {string.Join(", ", own.Keys.Order())}");
        var inherited = Inherit(path, parent, own, resolved, [.. chain, name]);
        var values = new Dictionary<string, string>(inherited.Values, StringComparer.Ordinal);
        foreach (var (key, value) in source.Values)
            if (key != "extends") values[key] = value;
        return resolved[name] = source with { Origin = $"{source.Origin} (extends '{parent}')", Values = values };
    }

    /// <summary>The experiment called <paramref name="name"/>, or an error listing the names.</summary>
    public ConfigSource Experiment(string name) =>
        Experiments.TryGetValue(name, out var e) ? e : throw new ConfigurationException(
            $"unknown experiment '{name}'; experiments in {Path}: {string.Join(", ", Experiments.Keys.Order())}");
}
