using Microsoft.Extensions.Logging;
using Untangle.Contracts.Data;
using Untangle.Host.Data.Parsing;

namespace Untangle.Host.Data.Readers;

/// <summary>A RecBole .user file: its token fields, which become categorical user attributes.</summary>
public sealed class RecBoleUserTable
{
    private readonly List<RecBoleHeader.Field> _tokens;
    private readonly Dictionary<int, string[]> _values = new();

    private RecBoleUserTable(RecBoleHeader header, List<RecBoleHeader.Field> tokens)
    {
        Header = header;
        _tokens = tokens;
    }

    public RecBoleHeader Header { get; }
    /// <summary>How many users have a line.</summary>
    public int Listed => _values.Count;

    /// <summary>Reads the file; users it lists that <paramref name="users"/> lacks are appended there.</summary>
    public static RecBoleUserTable Read(string path, string userField, IdIndex users, ILogger logger)
    {
        using var lines = LineReader.Open(path, TextEncodingChoice.Utf8OrLatin1);
        var header = RecBoleHeader.Read(lines);
        var user = header.Require(userField, "user_field");
        var tokens = header.Fields.Where(f => f != user && f.Type == RecBoleFieldType.Token).ToList();
        var other = header.Fields.Where(f => f != user && f.Type != RecBoleFieldType.Token).Select(f => f.Name).ToList();
        if (other.Count > 0)
            logger.LogInformation("{File}: only token fields become user attributes; {Fields} not used", path, string.Join(", ", other));

        var table = new RecBoleUserTable(header, tokens);
        while (lines.Next())
        {
            var f = header.SplitRow(lines);
            var id = f[user.Column].Trim();
            if (id.Length == 0) throw lines.Error($"empty {user.Name}", "a user id");
            int at = users.IndexOf(id);
            if (!table._values.TryAdd(at, tokens.Select(t => f[t.Column].Trim()).ToArray()))
                throw lines.Error($"user {id} listed twice", "one line per user");
        }
        return table;
    }

    /// <summary>One attribute per token field; users without a line or with an empty value get the "(missing)" level.</summary>
    public Dictionary<string, CategoricalAttribute> Attributes(int userCount)
    {
        var result = new Dictionary<string, CategoricalAttribute>(StringComparer.Ordinal);
        for (int t = 0; t < _tokens.Count; t++)
        {
            var values = new string?[userCount];
            for (int u = 0; u < userCount; u++)
                values[u] = _values.TryGetValue(u, out var row) && row[t].Length > 0 ? row[t] : null;
            result[_tokens[t].Name] = AttributeCoding.Encode(_tokens[t].Name, values);
        }
        return result;
    }
}
