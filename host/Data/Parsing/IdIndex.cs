namespace Untangle.Host.Data.Parsing;

/// <summary>
/// Maps raw id tokens to dense indices 0..n-1 in order of first appearance, so a data set's index
/// order follows its files deterministically; <see cref="Ids"/> keeps the tokens for
/// <c>Dataset.UserIds</c>/<c>ItemIds</c>. Ids are compared as exact strings ("01" and "1" differ).
/// </summary>
public sealed class IdIndex
{
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
    private readonly List<string> _ids = new();

    public int Count => _ids.Count;

    /// <summary>The index of <paramref name="id"/>, adding it at the end if new.</summary>
    public int IndexOf(string id)
    {
        if (_index.TryGetValue(id, out var at)) return at;
        _index.Add(id, _ids.Count);
        _ids.Add(id);
        return _ids.Count - 1;
    }

    public bool TryGet(string id, out int index) => _index.TryGetValue(id, out index);

    public bool Contains(string id) => _index.ContainsKey(id);

    public string IdAt(int index) => _ids[index];

    public string[] Ids() => _ids.ToArray();
}
