using Untangle.Contracts.Data;

namespace Untangle.Host.Data.Protocols;

/// <summary>
/// Builds CSR matrices from parts of another one without going through a builder: keeping some
/// entries, or re-indexing rows and columns. Values and timestamps travel with their entries.
/// </summary>
internal static class InteractionSubset
{
    /// <summary>The entries (positions into <see cref="Interactions.Columns"/>) for which <paramref name="keep"/> holds; shape unchanged.</summary>
    public static Interactions Where(Interactions m, Func<int, bool> keep, bool dropValues = false)
    {
        var start = new int[m.Rows + 1];
        var cols = new List<int>(m.Count);
        var vals = m.Values is null || dropValues ? null : new List<float>(m.Count);
        var times = m.Timestamps is null ? null : new List<long>(m.Count);
        for (int r = 0; r < m.Rows; r++)
        {
            for (int k = m.RowStart[r]; k < m.RowStart[r + 1]; k++)
            {
                if (!keep(k)) continue;
                cols.Add(m.Columns[k]);
                vals?.Add(m.Values![k]);
                times?.Add(m.Timestamps![k]);
            }
            start[r + 1] = cols.Count;
        }
        return new Interactions(m.Rows, m.ColumnCount, start, cols.ToArray(), vals?.ToArray(), times?.ToArray());
    }

    /// <summary>
    /// The listed rows, in the listed order, with columns mapped through <paramref name="columnMap"/>
    /// (-1 drops the entry) into a matrix of <paramref name="columns"/> columns. Each row is re-sorted
    /// by its new column indices, as CSR requires.
    /// </summary>
    public static Interactions Reindex(Interactions m, IReadOnlyList<int> rows, int[] columnMap, int columns)
    {
        var start = new int[rows.Count + 1];
        var cols = new List<int>();
        var vals = m.Values is null ? null : new List<float>();
        var times = m.Timestamps is null ? null : new List<long>();
        var row = new List<(int Col, int Entry)>();
        for (int i = 0; i < rows.Count; i++)
        {
            row.Clear();
            int r = rows[i];
            for (int k = m.RowStart[r]; k < m.RowStart[r + 1]; k++)
            {
                int c = columnMap[m.Columns[k]];
                if (c >= 0) row.Add((c, k));
            }
            row.Sort((a, b) => a.Col.CompareTo(b.Col));
            foreach (var (c, k) in row)
            {
                cols.Add(c);
                vals?.Add(m.Values![k]);
                times?.Add(m.Timestamps![k]);
            }
            start[i + 1] = cols.Count;
        }
        return new Interactions(rows.Count, columns, start, cols.ToArray(), vals?.ToArray(), times?.ToArray());
    }
}
