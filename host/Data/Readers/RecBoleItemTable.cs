using Microsoft.Extensions.Logging;
using Untangle.Contracts.Data;
using Untangle.Contracts.Settings;
using Untangle.Host.Data.Parsing;

namespace Untangle.Host.Data.Readers;

/// <summary>
/// A RecBole .item file: the category field (→ ItemCategories), the text field (→ ItemText) and the
/// float_seq fields (→ ItemFeatures, one matrix per field).
/// </summary>
public sealed class RecBoleItemTable
{
    private sealed record Row(string[] Categories, string Text, float[]?[] Features);

    private readonly RecBoleHeader.Field? _category, _text;
    private readonly List<RecBoleHeader.Field> _vectors;
    private readonly int[] _widths;
    private readonly Dictionary<int, Row> _rows = new();

    private RecBoleItemTable(RecBoleHeader.Field? category, RecBoleHeader.Field? text, List<RecBoleHeader.Field> vectors)
    {
        _category = category;
        _text = text;
        _vectors = vectors;
        _widths = new int[vectors.Count];
    }

    /// <summary>How many items have a line.</summary>
    public int Listed => _rows.Count;

    /// <summary>Reads the file; items it lists that <paramref name="items"/> lacks are appended there.</summary>
    public static RecBoleItemTable Read(string path, SettingValues options, IdIndex items, ILogger logger)
    {
        using var lines = LineReader.Open(path, TextEncodingChoice.Utf8OrLatin1);
        var header = RecBoleHeader.Read(lines);
        var item = header.Require(options.String("item_field"), "item_field");
        var category = Choose(header, options.String("category_field"), "category_field", "genre", "class");
        if (category is not null && category.Type is not (RecBoleFieldType.Token or RecBoleFieldType.TokenSeq))
            throw header.Error($"category field '{category.Name}' has type {category.Type}", $"{category.Name}:token or {category.Name}:token_seq");
        var text = Choose(header, options.String("text_field"), "text_field", "movie_title", "title");
        var vectors = header.Fields.Where(f => f.Type == RecBoleFieldType.FloatSeq && f != text).ToList();
        var unused = header.Fields.Where(f => f != item && f != category && f != text && !vectors.Contains(f)).Select(f => f.Name).ToList();
        if (unused.Count > 0) logger.LogInformation("{File}: fields {Fields} are not used", path, string.Join(", ", unused));

        var table = new RecBoleItemTable(category, text, vectors);
        while (lines.Next())
        {
            var f = header.SplitRow(lines);
            var id = f[item.Column].Trim();
            if (id.Length == 0) throw lines.Error($"empty {item.Name}", "an item id");
            var categories = category is null ? [] : f[category.Column].Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var features = new float[]?[vectors.Count];
            for (int v = 0; v < vectors.Count; v++) features[v] = table.ParseVector(lines, vectors[v], f[vectors[v].Column], v);
            if (!table._rows.TryAdd(items.IndexOf(id), new Row(categories, text is null ? "" : f[text.Column].Trim(), features)))
                throw lines.Error($"item {id} listed twice", "one line per item");
        }
        return table;
    }

    public ItemCategories? Categories(int itemCount) => _category is null
        ? null
        : CategoryCoding.Encode(Enumerable.Range(0, itemCount).Select(i => _rows.TryGetValue(i, out var r) ? r.Categories : []).ToArray());

    public string[]? Text(int itemCount) => _text is null
        ? null
        : Enumerable.Range(0, itemCount).Select(i => _rows.TryGetValue(i, out var r) ? r.Text : "").ToArray();

    /// <summary>float_seq fields (items without a value: zeros) and the category field as multi-hot.</summary>
    public Dictionary<string, FeatureMatrix> Features(int itemCount, ILogger logger)
    {
        var result = new Dictionary<string, FeatureMatrix>(StringComparer.Ordinal);
        for (int v = 0; v < _vectors.Count; v++)
        {
            int width = _widths[v], zeros = 0;
            var data = new float[itemCount * width];
            for (int i = 0; i < itemCount; i++)
            {
                if (_rows.TryGetValue(i, out var r) && r.Features[v] is { } x) x.CopyTo(data, i * width);
                else zeros++;
            }
            if (zeros > 0) logger.LogWarning("{Field}: {Count} items have no value; their feature row is zero", _vectors[v].Name, zeros);
            result[_vectors[v].Name] = new FeatureMatrix(itemCount, width, data);
        }
        if (_category is not null && Categories(itemCount) is { } categories)
            result.TryAdd(_category.Name, CategoryCoding.MultiHot(categories));
        return result;
    }

    private float[]? ParseVector(LineReader lines, RecBoleHeader.Field field, string text, int v)
    {
        var parts = text.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length == 0) return null;
        if (_widths[v] == 0) _widths[v] = parts.Length;
        else if (parts.Length != _widths[v])
            throw lines.Error($"{field.Name} has {parts.Length} values", $"{_widths[v]} space-separated numbers, as on the first line that has them");
        return parts.Select(p => lines.Float(p, field.Name + " value")).ToArray();
    }

    /// <summary>The field named by an option; when the option is empty, the first of <paramref name="defaults"/> the header has, or none.</summary>
    private static RecBoleHeader.Field? Choose(RecBoleHeader header, string named, string option, params string[] defaults)
    {
        if (named.Length > 0)
            return header.Find(named) ?? throw header.Error($"no field '{named}'",
                $"a field named by dataset.{option}, one of {string.Join(", ", header.Fields.Select(f => f.Name))}");
        return defaults.Select(header.Find).FirstOrDefault(f => f is not null);
    }
}
