using System.Globalization;
using System.Text.Json;

namespace Untangle.Host.Composition;

/// <summary>
/// One layer of configuration as flat dotted keys ("hyper.embedding_size" = "64"). Nested JSON
/// objects flatten to dotted keys, arrays to "[a,b]". Layers apply in order: method defaults &lt;
/// plugins.json experiment &lt; --config FILE &lt; --set key=value.
/// </summary>
public sealed record ConfigSource(string Origin, IReadOnlyDictionary<string, string> Values)
{
    /// <summary>The folder relative paths in this layer (dataset.path) are resolved against; null: the working directory.</summary>
    public string? BaseDirectory { get; init; }

    public static ConfigSource FromJson(string origin, JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
            throw new ConfigurationException($"{origin}: an experiment must be a JSON object, found {element.ValueKind}");
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        Flatten(origin, "", element, values);
        return new ConfigSource(origin, values);
    }

    public static ConfigSource FromFile(string path)
    {
        if (!File.Exists(path)) throw new ConfigurationException($"--config {path}: file not found");
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            return FromJson(path, doc.RootElement) with { BaseDirectory = Path.GetDirectoryName(Path.GetFullPath(path)) };
        }
        catch (JsonException e)
        {
            throw new ConfigurationException($"{path}:{(e.LineNumber ?? 0) + 1}: not valid JSON ({e.Message.Split(" Path:")[0]})");
        }
    }

    /// <summary>Parses --set key=value arguments.</summary>
    public static ConfigSource FromAssignments(IEnumerable<string> assignments)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var a in assignments)
        {
            int eq = a.IndexOf('=');
            if (eq <= 0) throw new ConfigurationException($"--set {a}: expected key=value, for example --set train.epochs=5");
            values[a[..eq].Trim()] = a[(eq + 1)..].Trim();
        }
        return new ConfigSource("--set", values);
    }

    private static void Flatten(string origin, string prefix, JsonElement e, Dictionary<string, string> into)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var p in e.EnumerateObject())
                    Flatten(origin, prefix.Length == 0 ? p.Name : $"{prefix}.{p.Name}", p.Value, into);
                break;
            case JsonValueKind.Array:
                into[prefix] = "[" + string.Join(",", e.EnumerateArray().Select(x => Scalar(origin, prefix, x))) + "]";
                break;
            default:
                into[prefix] = Scalar(origin, prefix, e);
                break;
        }
    }

    private static string Scalar(string origin, string key, JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => e.GetString()!,
        JsonValueKind.Number => e.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => throw new ConfigurationException($"{origin}: key '{key}' holds a {e.ValueKind}; expected a string, number, boolean or a list of them"),
    };

    public static string Number(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}
