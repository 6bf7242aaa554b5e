namespace Untangle.Contracts.Data;

/// <summary>
/// Collects (row, column[, value, timestamp]) triples in any order and builds a CSR
/// <see cref="Interactions"/>. Repeated (row, column) pairs are kept once: the entry with the latest
/// timestamp wins, and among equal timestamps (or none) the one added last wins — the same rule as
/// "the user's most recent rating counts". <see cref="Duplicates"/> tells how many were merged.
/// </summary>
public sealed class InteractionsBuilder(int rows, int columns)
{
    private readonly List<(int Row, int Col, float Value, long Time, int Order)> _entries = new();
    private bool _hasValues, _hasTimes;

    public int Rows { get; } = rows;
    public int Columns { get; } = columns;
    public int Duplicates { get; private set; }

    public void Add(int row, int col, float? value = null, long? timestamp = null)
    {
        if ((uint)row >= (uint)Rows) throw new ArgumentOutOfRangeException(nameof(row), $"row {row} outside [0, {Rows})");
        if ((uint)col >= (uint)Columns) throw new ArgumentOutOfRangeException(nameof(col), $"column {col} outside [0, {Columns})");
        _hasValues |= value.HasValue;
        _hasTimes |= timestamp.HasValue;
        _entries.Add((row, col, value ?? 1f, timestamp ?? 0, _entries.Count));
    }

    public Interactions Build()
    {
        var sorted = _entries.ToArray();
        Array.Sort(sorted, (a, b) =>
        {
            int c = a.Row.CompareTo(b.Row);
            if (c != 0) return c;
            c = a.Col.CompareTo(b.Col);
            if (c != 0) return c;
            c = a.Time.CompareTo(b.Time);
            return c != 0 ? c : a.Order.CompareTo(b.Order);
        });
        var start = new int[Rows + 1];
        var cols = new List<int>(sorted.Length);
        var vals = _hasValues ? new List<float>(sorted.Length) : null;
        var times = _hasTimes ? new List<long>(sorted.Length) : null;
        Duplicates = 0;
        for (int i = 0; i < sorted.Length; i++)
        {
            var e = sorted[i];
            // The last of a run of equal (row, col) is the winner.
            if (i + 1 < sorted.Length && sorted[i + 1].Row == e.Row && sorted[i + 1].Col == e.Col)
            {
                Duplicates++;
                continue;
            }
            cols.Add(e.Col);
            vals?.Add(e.Value);
            times?.Add(e.Time);
            start[e.Row + 1]++;
        }
        for (int r = 0; r < Rows; r++) start[r + 1] += start[r];
        return new Interactions(Rows, Columns, start, cols.ToArray(), vals?.ToArray(), times?.ToArray());
    }
}
