using System.Runtime.CompilerServices;
namespace Untangle.Host.Data.Parsing;

/// <summary>
/// Maps raw id tokens to dense indices 0..n-1 in order of first appearance, so a data set's index
/// order follows its files deterministically; <see cref="Ids"/> keeps the tokens for
/// <c>Dataset.UserIds</c>/<c>ItemIds</c>. Ids are compared as exact strings ("01" and "1" differ).
/// </summary>
/// <remarks>
/// Most ids are short ASCII tokens (MovieLens and RecBole ids are numbers of a few digits). Such an id
/// of up to seven characters is kept under one 64-bit key (its characters and its length), which a
/// lookup compares without hashing or visiting a string: on a 20-million-line ratings file the string
/// lookups had been a third of the load time. Other ids are kept by string. Each id lives in exactly
/// one of the two maps, chosen by its own text, so both ways of asking agree.
/// </remarks>
public sealed class IdIndex
{
    private readonly PackedIds _short = new();
    private readonly Dictionary<string, int> _long;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _longBySpan;
    private readonly List<string> _ids = new();
    private string? _last;
    private int _lastIndex;

    public IdIndex()
    {
        _long = new Dictionary<string, int>(StringComparer.Ordinal);
        _longBySpan = _long.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public int Count => _ids.Count;

    /// <summary>The index of <paramref name="id"/>, adding it at the end if new.</summary>
    public int IndexOf(string id)
    {
        if (TryGet(id.AsSpan(), out var at)) return at;
        at = _ids.Count;
        if (Packed(id, out var key)) _short.Add(key, at);
        else _long.Add(id, at);
        _ids.Add(id);
        return at;
    }

    /// <summary>The index of <paramref name="id"/>, adding it at the end if new: a string is made only for a new id.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int IndexOf(ReadOnlySpan<char> id)
    {
        // Interaction files usually list a user's lines together: the same id as last time is not looked up.
        if (_last is not null && id.SequenceEqual(_last)) return _lastIndex;
        if (!TryGet(id, out var at)) at = IndexOf(id.ToString());
        _last = _ids[at];
        _lastIndex = at;
        return at;
    }

    public bool TryGet(string id, out int index) => TryGet(id.AsSpan(), out index);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool TryGet(ReadOnlySpan<char> id, out int index) =>
        Packed(id, out var key) ? _short.TryGetValue(key, out index) : _longBySpan.TryGetValue(id, out index);

    public bool Contains(ReadOnlySpan<char> id) => TryGet(id, out _);

    public bool Contains(string id) => TryGet(id.AsSpan(), out _);

    /// <summary>
    /// Adds the ids of <paramref name="later"/> (an index of a later part of the same file) that are not here
    /// yet, in its order, as if its ids had been met here after these; returns, for each of its indices, the
    /// index here.
    /// </summary>
    public int[] Absorb(IdIndex later)
    {
        var map = new int[later.Count];
        for (int k = 0; k < later.Count; k++) map[k] = IndexOf(later._ids[k]);
        return map;
    }

    public string IdAt(int index) => _ids[index];

    public string[] Ids() => _ids.ToArray();

    /// <summary>An ASCII id of 1 to 7 characters as one key (never 0): a character per byte, the length in the top byte.</summary>
    private static bool Packed(ReadOnlySpan<char> id, out ulong key)
    {
        key = (ulong)id.Length << 56;
        if (id.Length is 0 or > 7) return false;
        for (int c = 0; c < id.Length; c++)
        {
            if (id[c] >= 0x80) return false;
            key |= (ulong)id[c] << (8 * c);
        }
        return true;
    }

    /// <summary>
    /// Packed ids to indices: open addressing with linear probing in one array of keys and one of indices
    /// (0 marks an empty slot; a packed key is never 0), at most half full. It is here rather than a
    /// Dictionary&lt;ulong, int&gt; because a lookup is one multiply and, mostly, one slot.
    /// </summary>
    private sealed class PackedIds
    {
        private ulong[] _keys = new ulong[1024];
        private int[] _values = new int[1024];
        private int _count, _shift = 64 - 10;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public bool TryGetValue(ulong key, out int value)
        {
            int mask = _keys.Length - 1;
            for (int slot = Slot(key); ; slot = (slot + 1) & mask)
            {
                ulong at = _keys[slot];
                if (at == key)
                {
                    value = _values[slot];
                    return true;
                }
                if (at == 0)
                {
                    value = 0;
                    return false;
                }
            }
        }

        public void Add(ulong key, int value)
        {
            if (2 * (_count + 1) > _keys.Length) Grow();
            Put(key, value);
            _count++;
        }

        private int Slot(ulong key) => (int)((key * 0x9E3779B97F4A7C15UL) >> _shift);

        private void Put(ulong key, int value)
        {
            int mask = _keys.Length - 1, slot = Slot(key);
            while (_keys[slot] != 0) slot = (slot + 1) & mask;
            _keys[slot] = key;
            _values[slot] = value;
        }

        private void Grow()
        {
            var (keys, values) = (_keys, _values);
            _keys = new ulong[keys.Length * 2];
            _values = new int[keys.Length * 2];
            _shift--;
            for (int k = 0; k < keys.Length; k++)
                if (keys[k] != 0) Put(keys[k], values[k]);
        }
    }
}
