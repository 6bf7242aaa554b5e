namespace Untangle.Contracts.Settings;

/// <summary>
/// Resolved values for a set of <see cref="SettingSpec"/>s: every declared name has a value (its
/// default unless configured). Reading an undeclared name is a programming error and says so.
/// </summary>
public sealed class SettingValues
{
    private readonly Dictionary<string, object> _values;
    private readonly string _scope;

    public SettingValues(string scope, IReadOnlyDictionary<string, object> values)
    {
        _scope = scope;
        _values = new Dictionary<string, object>(values, StringComparer.Ordinal);
    }

    /// <summary>Values with every spec at its default, overridden by <paramref name="given"/> (parsed by the spec).</summary>
    public static SettingValues Resolve(string scope, IEnumerable<SettingSpec> specs, IReadOnlyDictionary<string, string>? given = null)
    {
        var values = new Dictionary<string, object>(StringComparer.Ordinal);
        var known = new Dictionary<string, SettingSpec>(StringComparer.Ordinal);
        foreach (var spec in specs)
        {
            known[spec.Name] = spec;
            spec.CheckRange($"{scope}.{spec.Name} (its declared default)", spec.Default);
            values[spec.Name] = spec.Default;
        }
        if (given is not null)
        {
            foreach (var (name, text) in given)
            {
                if (!known.TryGetValue(name, out var spec))
                    throw new KeyNotFoundException(
                        known.Count == 0
                            ? $"{scope}.{name} is not a known setting; {scope} takes no settings"
                            : $"{scope}.{name} is not a known setting; valid: {string.Join(", ", known.Keys.Order())}");
                values[name] = spec.Parse($"{scope}.{name}", text);
            }
        }
        return new SettingValues(scope, values);
    }

    public static SettingValues Empty(string scope) => new(scope, new Dictionary<string, object>());

    public IReadOnlyDictionary<string, object> All => _values;

    public bool Has(string name) => _values.ContainsKey(name);

    public T Get<T>(string name)
    {
        if (!_values.TryGetValue(name, out var v))
            throw new KeyNotFoundException($"{_scope}.{name} was read but never declared; declared: {string.Join(", ", _values.Keys.Order())}");
        return v switch
        {
            T t => t,
            int i when typeof(T) == typeof(double) => (T)(object)(double)i,
            int i when typeof(T) == typeof(long) => (T)(object)(long)i,
            _ => throw new InvalidCastException($"{_scope}.{name} holds {v.GetType().Name}, read as {typeof(T).Name}"),
        };
    }

    public int Int(string name) => Get<int>(name);
    public double Float(string name) => Get<double>(name);
    public bool Bool(string name) => Get<bool>(name);
    public string String(string name) => Get<string>(name);
    public int[] IntList(string name) => Get<int[]>(name);
    public double[] FloatList(string name) => Get<double[]>(name);
}
