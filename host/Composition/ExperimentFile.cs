namespace Untangle.Host.Composition;

/// <summary>
/// An experiment written as a JSON file (`run FILE.json`, or a file dropped into serve's queue): the
/// keys of a plugins.json experiment, plus an optional "extends": "NAME" that starts from the named
/// plugins.json experiment and overrides its keys. The experiment's name is the file's name.
/// <code>
/// { "extends": "bpr-mf-synthetic", "dataset": { "users": 150, "items": 80 }, "train": { "epochs": 3 } }
/// </code>
/// </summary>
public static class ExperimentFile
{
    public static (string Name, IReadOnlyList<ConfigSource> Layers) Read(string path, PluginsFile plugins, string? name = null)
    {
        var source = ConfigSource.FromFile(path);
        name ??= Path.GetFileNameWithoutExtension(path);
        if (!source.Values.TryGetValue("extends", out var parent))
            return (name, [source]);
        if (!plugins.Experiments.ContainsKey(parent))
            throw new ConfigurationException($"{path}: extends '{parent}', which is not an experiment in {plugins.Path}; experiments: {string.Join(", ", plugins.Experiments.Keys.Order())}");
        var own = source with { Values = source.Values.Where(kv => kv.Key != "extends").ToDictionary() };
        return (name, [plugins.Experiment(parent), own]);
    }
}
