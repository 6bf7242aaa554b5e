using Untangle.Host.Data.Parsing;

namespace Untangle.Host.Data.Readers;

/// <summary>
/// The typed header of a RecBole atomic file, "name:type" per tab-separated column
/// (user_id:token, rating:float, genre:token_seq, ...). Every later line must have one value per column.
/// </summary>
public sealed class RecBoleHeader
{
    public sealed record Field(string Name, RecBoleFieldType Type, int Column);

    private const string TypeNames = "token, token_seq, float or float_seq";
    private readonly Dictionary<string, Field> _byName;

    private RecBoleHeader(string path, string text, IReadOnlyList<Field> fields)
    {
        Path = path;
        Text = text;
        Fields = fields;
        _byName = fields.ToDictionary(f => f.Name, StringComparer.Ordinal);
        _rowLayout = $"{fields.Count} tab-separated values as in the header ({string.Join(", ", fields.Select(f => f.Name))})";
    }

    // What a row must look like, for SplitRow's message; built once, not for every row (it was 5 % of reading a large .inter).
    private readonly string _rowLayout;

    public string Path { get; }
    /// <summary>The header line as written (for messages).</summary>
    public string Text { get; }
    public IReadOnlyList<Field> Fields { get; }

    /// <summary>Reads line 1 of <paramref name="lines"/>.</summary>
    public static RecBoleHeader Read(LineReader lines)
    {
        if (!lines.Next() || lines.Number != 1)
            throw new DataFormatException(lines.Path, 1, "no header", lines.Number == 0 ? "" : lines.Text,
                "a first line of tab-separated name:type fields such as user_id:token");
        var fields = new List<Field>();
        var names = lines.Text.Split('\t');
        for (int c = 0; c < names.Length; c++)
        {
            var parts = names[c].Trim().Split(':');
            if (parts.Length != 2 || parts[0].Length == 0)
                throw lines.Error($"header field '{names[c]}' without a type", $"name:type with type {TypeNames}");
            var type = parts[1] switch
            {
                "token" => RecBoleFieldType.Token,
                "token_seq" => RecBoleFieldType.TokenSeq,
                "float" => RecBoleFieldType.Float,
                "float_seq" => RecBoleFieldType.FloatSeq,
                _ => throw lines.Error($"unknown type '{parts[1]}' of field '{parts[0]}'", $"a type among {TypeNames}"),
            };
            if (fields.Any(f => f.Name == parts[0])) throw lines.Error($"field '{parts[0]}' named twice", "each field once");
            fields.Add(new Field(parts[0], type, c));
        }
        return new RecBoleHeader(lines.Path, lines.Text, fields);
    }

    public Field? Find(string name) => _byName.GetValueOrDefault(name);

    /// <summary>The field <paramref name="name"/>, or an error at line 1 saying which option picks another.</summary>
    public Field Require(string name, string option) => Find(name)
        ?? throw Error($"no field '{name}'", $"a field {name}:token, or dataset.{option} naming one of {string.Join(", ", Fields.Select(f => f.Name))}");

    /// <summary>An error about the header line.</summary>
    public DataFormatException Error(string problem, string expected) => new(Path, 1, problem, Text, expected);

    /// <summary>The current line's values, one per header field.</summary>
    public string[] SplitRow(LineReader lines) =>
        lines.Split('\t', Fields.Count, _rowLayout);
}
