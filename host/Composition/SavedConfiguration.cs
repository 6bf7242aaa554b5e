using System.Text.Json;

namespace Untangle.Host.Composition;

/// <summary>
/// A run's config.json read back as a configuration layer: its "experiment" name and every resolved
/// key. Resolving it again gives the run's experiment, which is how `run --resume` and a restarted
/// `serve` rebuild the run they continue.
/// </summary>
public static class SavedConfiguration
{
    public static (string Name, ConfigSource Source) Read(string path)
    {
        if (!File.Exists(path)) throw new ConfigurationException($"{path}: not found; a run folder holds the config.json its run wrote");
        return Parse(path, File.ReadAllText(path));
    }

    public static (string Name, ConfigSource Source) Parse(string origin, string text)
    {
        try
        {
            using var doc = JsonDocument.Parse(text);
            var source = ConfigSource.FromJson(origin, doc.RootElement);
            var values = source.Values.Where(kv => kv.Key != "experiment").ToDictionary();
            var name = source.Values.TryGetValue("experiment", out var n) ? n : throw new ConfigurationException($"{origin}: no \"experiment\" key");
            return (name, new ConfigSource(origin, values));
        }
        catch (JsonException e)
        {
            throw new ConfigurationException($"{origin}:{(e.LineNumber ?? 0) + 1}: not valid JSON ({e.Message.Split(" Path:")[0]})");
        }
    }
}
