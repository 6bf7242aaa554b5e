using System.Text;

namespace Untangle.Host.Data.Parsing;

/// <summary>
/// Splits one CSV line with RFC 4180 quoting: a field wrapped in double quotes may contain the
/// separator, and a doubled quote inside it stands for one quote. MovieLens 20M/25M movies.csv
/// quotes titles such as <c>"American President, The (1995)"</c>. A record spanning several lines is
/// not supported (MovieLens never writes one), so an unclosed quote is an error.
/// </summary>
public static class QuotedFields
{
    /// <summary>Appends the fields of <paramref name="line"/> to <paramref name="into"/>; returns null, or what was wrong.</summary>
    public static string? Split(string line, char separator, List<string> into)
    {
        // Most lines (every ratings line) have no quote at all.
        if (line.IndexOf('"') < 0)
        {
            into.AddRange(line.Split(separator));
            return null;
        }
        int i = 0;
        var field = new StringBuilder();
        while (true)
        {
            field.Clear();
            if (i < line.Length && line[i] == '"')
            {
                int open = i++;
                while (true)
                {
                    if (i >= line.Length) return $"a quote opened at column {open + 1} is never closed";
                    if (line[i] == '"')
                    {
                        if (i + 1 < line.Length && line[i + 1] == '"') { field.Append('"'); i += 2; continue; }
                        i++;
                        break;
                    }
                    field.Append(line[i++]);
                }
                if (i < line.Length && line[i] != separator)
                    return $"text after the closing quote at column {i}";
            }
            else
            {
                int end = line.IndexOf(separator, i);
                if (end < 0) end = line.Length;
                var raw = line.AsSpan(i, end - i);
                if (raw.Contains('"')) return $"a quote inside the unquoted field '{raw}'";
                field.Append(raw);
                i = end;
            }
            into.Add(field.ToString());
            if (i >= line.Length) return null;
            i++; // past the separator; a trailing separator means one more (empty) field
            if (i == line.Length)
            {
                into.Add("");
                return null;
            }
        }
    }
}
