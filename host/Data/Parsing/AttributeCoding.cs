using Untangle.Contracts.Data;

namespace Untangle.Host.Data.Parsing;

/// <summary>Turns per-row values into a <see cref="CategoricalAttribute"/> (level names plus one code per row).</summary>
public static class AttributeCoding
{
    /// <summary>The level rows without a value get (users missing from a side file, say).</summary>
    public const string MissingLevel = "(missing)";

    /// <summary>
    /// Codes <paramref name="values"/> (null = no value). Levels are <paramref name="levels"/> in the given
    /// order when supplied (every value must be one of them), otherwise the distinct values in ordinal
    /// order; <see cref="MissingLevel"/> is appended only when some row has no value.
    /// </summary>
    public static CategoricalAttribute Encode(string name, IReadOnlyList<string?> values, IReadOnlyList<string>? levels = null)
    {
        var names = levels is not null
            ? levels.ToList()
            : values.Where(v => v is not null).Select(v => v!).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var code = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < names.Count; i++) code[names[i]] = i;
        var codes = new int[values.Count];
        int missing = -1;
        for (int r = 0; r < values.Count; r++)
        {
            var v = values[r];
            if (v is null)
            {
                if (missing < 0) { missing = names.Count; names.Add(MissingLevel); }
                codes[r] = missing;
            }
            else if (code.TryGetValue(v, out var c)) codes[r] = c;
            else throw new ArgumentException($"attribute {name}: value '{v}' is not one of the levels {string.Join(", ", names)}");
        }
        return new CategoricalAttribute(name, names.ToArray(), codes);
    }
}
