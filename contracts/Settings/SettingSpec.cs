using System.Globalization;

namespace Untangle.Contracts.Settings;

/// <summary>The value types a setting can take.</summary>
public enum SettingType { Int, Float, Bool, String, IntList, FloatList }

/// <summary>
/// A typed, documented setting with a default: a method's hyper-parameter, a component's option,
/// a reader's or a protocol's option. Values arrive as strings or JSON scalars and are parsed here,
/// so a wrong value fails with the key, the text and the expected type.
/// </summary>
public sealed record SettingSpec(string Name, SettingType Type, object Default, string Doc)
{
    public static SettingSpec Int(string name, int @default, string doc) => new(name, SettingType.Int, @default, doc);
    public static SettingSpec Float(string name, double @default, string doc) => new(name, SettingType.Float, @default, doc);
    public static SettingSpec Bool(string name, bool @default, string doc) => new(name, SettingType.Bool, @default, doc);
    public static SettingSpec String(string name, string @default, string doc) => new(name, SettingType.String, @default, doc);
    public static SettingSpec IntList(string name, int[] @default, string doc) => new(name, SettingType.IntList, @default, doc);
    public static SettingSpec FloatList(string name, double[] @default, string doc) => new(name, SettingType.FloatList, @default, doc);

    /// <summary>The smallest value allowed (numbers, and every element of a list); null: no bound.</summary>
    public double? Min { get; init; }
    /// <summary>True when <see cref="Min"/> itself is not allowed (a learning rate &gt; 0).</summary>
    public bool MinExclusive { get; init; }
    /// <summary>The largest value allowed; null: no bound.</summary>
    public double? Max { get; init; }
    /// <summary>True when <see cref="Max"/> itself is not allowed (a dropout probability &lt; 1).</summary>
    public bool MaxExclusive { get; init; }

    /// <summary>This setting with values at least <paramref name="min"/> (above it when <paramref name="exclusive"/>).</summary>
    public SettingSpec AtLeast(double min, bool exclusive = false) => this with { Min = min, MinExclusive = exclusive };
    /// <summary>This setting with values above 0.</summary>
    public SettingSpec Positive() => AtLeast(0, exclusive: true);
    /// <summary>This setting with values between <paramref name="min"/> and <paramref name="max"/>, each end included unless said otherwise.</summary>
    public SettingSpec Within(double min, double max, bool minExclusive = false, bool maxExclusive = false) =>
        this with { Min = min, MinExclusive = minExclusive, Max = max, MaxExclusive = maxExclusive };

    /// <summary>The declared range as a user reads it ("> 0", "in [0, 1)"), or null when there is none.</summary>
    public string? Range => (Min, Max) switch
    {
        (null, null) => null,
        ({ } lo, null) => $"{(MinExclusive ? ">" : ">=")} {Format(lo)}",
        (null, { } hi) => $"{(MaxExclusive ? "<" : "<=")} {Format(hi)}",
        ({ } lo, { } hi) => $"in {(MinExclusive ? "(" : "[")}{Format(lo)}, {Format(hi)}{(MaxExclusive ? ")" : "]")}",
    };

    /// <summary>Throws <see cref="FormatException"/> naming <paramref name="key"/> when <paramref name="value"/> is outside the declared range.</summary>
    public void CheckRange(string key, object value)
    {
        if (Range is null) return;
        IEnumerable<double> numbers = value switch
        {
            int i => [i],
            double d => [d],
            int[] a => a.Select(x => (double)x),
            double[] a => a,
            _ => [],
        };
        foreach (var x in numbers)
        {
            // A declared range is finite: ∞ and NaN are outside it.
            bool low = !double.IsFinite(x) || Min is { } lo && (MinExclusive ? !(x > lo) : !(x >= lo));
            bool high = Max is { } hi && (MaxExclusive ? !(x < hi) : !(x <= hi));
            if (low || high)
                throw new FormatException($"{key}: {Format(value)} is out of range; expected {("aeiou".Contains(Describe()[0]) ? "an" : "a")} {Describe()} {Range}");
        }
    }

    /// <summary>Parses <paramref name="text"/> as this setting's type; throws <see cref="FormatException"/> naming <paramref name="key"/>.</summary>
    public object Parse(string key, string text)
    {
        var t = text.Trim();
        object? value = Type switch
        {
            SettingType.Int => int.TryParse(t, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) ? i : null,
            SettingType.Float => double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : null,
            SettingType.Bool => bool.TryParse(t, out var b) ? b : null,
            SettingType.String => text,
            SettingType.IntList => ParseList(t, s => int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : (int?)null),
            SettingType.FloatList => ParseList(t, s => double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : (double?)null),
            _ => null,
        };
        if (value is null) throw new FormatException($"{key}: '{text}' is not a valid {Describe()}");
        CheckRange(key, value);
        return value;
    }

    /// <summary>The type as a user reads it in an error message.</summary>
    public string Describe() => Type switch
    {
        SettingType.Int => "integer",
        SettingType.Float => "number",
        SettingType.Bool => "boolean (true or false)",
        SettingType.String => "string",
        SettingType.IntList => "list of integers such as [600,200] or 600,200",
        SettingType.FloatList => "list of numbers such as [0.1,0.2] or 0.1,0.2",
        _ => Type.ToString(),
    };

    /// <summary>Renders a value the way <see cref="Parse"/> reads it back.</summary>
    public static string Format(object value) => value switch
    {
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        int[] a => "[" + string.Join(",", a) + "]",
        double[] a => "[" + string.Join(",", a.Select(x => x.ToString("R", CultureInfo.InvariantCulture))) + "]",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static T[]? ParseList<T>(string text, Func<string, T?> one) where T : struct
    {
        var body = text.Trim('[', ']', ' ');
        if (body.Length == 0) return [];
        var parts = body.Split(',', StringSplitOptions.TrimEntries);
        var result = new T[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            var v = one(parts[i]);
            if (v is null) return null;
            result[i] = v.Value;
        }
        return result;
    }
}
