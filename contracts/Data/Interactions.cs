namespace Untangle.Contracts.Data;

/// <summary>
/// A sparse rows × columns interaction matrix in CSR form (rows are users, columns items).
/// Column indices within a row are sorted ascending and unique. Values (ratings) and timestamps are
/// optional and aligned with <see cref="Columns"/>.
/// </summary>
public sealed class Interactions
{
    public Interactions(int rows, int columns, int[] rowStart, int[] cols, float[]? values = null, long[]? timestamps = null)
    {
        if (rowStart.Length != rows + 1) throw new ArgumentException($"rowStart has {rowStart.Length} entries, expected {rows + 1}");
        if (rowStart[rows] != cols.Length) throw new ArgumentException("rowStart[rows] must equal the number of stored entries");
        if (values is not null && values.Length != cols.Length) throw new ArgumentException("values must align with columns");
        if (timestamps is not null && timestamps.Length != cols.Length) throw new ArgumentException("timestamps must align with columns");
        Rows = rows;
        ColumnCount = columns;
        RowStart = rowStart;
        Columns = cols;
        Values = values;
        Timestamps = timestamps;
    }

    public int Rows { get; }
    public int ColumnCount { get; }
    /// <summary>Row r's entries are [RowStart[r], RowStart[r+1]).</summary>
    public int[] RowStart { get; }
    public int[] Columns { get; }
    public float[]? Values { get; }
    public long[]? Timestamps { get; }
    public int Count => Columns.Length;

    public ReadOnlySpan<int> Row(int r) => Columns.AsSpan(RowStart[r], RowStart[r + 1] - RowStart[r]);
    public int RowLength(int r) => RowStart[r + 1] - RowStart[r];

    public bool Contains(int r, int c) => Row(r).BinarySearch(c) >= 0;

    public static Interactions Empty(int rows, int columns) => new(rows, columns, new int[rows + 1], []);

    /// <summary>A matrix of the listed rows, in the given order (values and timestamps kept).</summary>
    public Interactions SelectRows(IReadOnlyList<int> rows)
    {
        var start = new int[rows.Count + 1];
        for (int i = 0; i < rows.Count; i++) start[i + 1] = start[i] + RowLength(rows[i]);
        var cols = new int[start[^1]];
        var vals = Values is null ? null : new float[cols.Length];
        var ts = Timestamps is null ? null : new long[cols.Length];
        for (int i = 0; i < rows.Count; i++)
        {
            int from = RowStart[rows[i]], n = RowLength(rows[i]);
            Array.Copy(Columns, from, cols, start[i], n);
            if (vals is not null) Array.Copy(Values!, from, vals, start[i], n);
            if (ts is not null) Array.Copy(Timestamps!, from, ts, start[i], n);
        }
        return new Interactions(rows.Count, ColumnCount, start, cols, vals, ts);
    }

    /// <summary>The union of two matrices of the same shape (values and timestamps dropped).</summary>
    public Interactions Union(Interactions other)
    {
        if (other.Rows != Rows || other.ColumnCount != ColumnCount) throw new ArgumentException("shapes differ");
        var b = new InteractionsBuilder(Rows, ColumnCount);
        for (int r = 0; r < Rows; r++)
        {
            foreach (var c in Row(r)) b.Add(r, c);
            foreach (var c in other.Row(r)) b.Add(r, c);
        }
        return b.Build();
    }

    /// <summary>The transpose (items × users), values and timestamps kept.</summary>
    public Interactions Transpose()
    {
        var start = new int[ColumnCount + 1];
        foreach (var c in Columns) start[c + 1]++;
        for (int i = 0; i < ColumnCount; i++) start[i + 1] += start[i];
        var next = (int[])start.Clone();
        var cols = new int[Count];
        var vals = Values is null ? null : new float[Count];
        var ts = Timestamps is null ? null : new long[Count];
        for (int r = 0; r < Rows; r++)
            for (int k = RowStart[r]; k < RowStart[r + 1]; k++)
            {
                int at = next[Columns[k]]++;
                cols[at] = r;
                if (vals is not null) vals[at] = Values![k];
                if (ts is not null) ts[at] = Timestamps![k];
            }
        return new Interactions(ColumnCount, Rows, start, cols, vals, ts);
    }
}
