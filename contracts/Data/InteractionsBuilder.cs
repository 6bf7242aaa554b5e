using System.Runtime.CompilerServices;
namespace Untangle.Contracts.Data;

/// <summary>
/// Collects (row, column[, value, timestamp]) triples in any order and builds a CSR
/// <see cref="Interactions"/>. Repeated (row, column) pairs are kept once: the entry with the latest
/// timestamp wins, and among equal timestamps (or none) the one added last wins — the same rule as
/// "the user's most recent rating counts". <see cref="Duplicates"/> tells how many were merged.
/// </summary>
/// <remarks>
/// Sized for files of tens of millions of lines (20 bytes an entry with values and timestamps, 16 kept):
/// <list type="bullet">
/// <item>The entries are kept column by column in arrays made once when the caller knows about how many
/// will come (a reader counts its file's lines), else grown by doubling.</item>
/// <item>Entries that arrive row by row (a file sorted by user, as MovieLens and RecBole files are) are
/// settled in place: each row is sorted by column on its own (a primitive sort of column and position
/// packed in one long), its winners are moved left, and the column, value and timestamp arrays become
/// the matrix's own, copied only when the count was overestimated or repeats were merged. The peak is the
/// entries themselves, about 1.25 times the final arrays.</item>
/// <item>A reader that reads a file in two parts at once gives the second part a builder writing the
/// end of the first's arrays (<see cref="Part"/>), and joins it after its own entries (<see cref="Join"/>).</item>
/// <item>Otherwise a counting sort by row (which keeps the order of addition) gives a permutation, each
/// row of it is settled as above, and the final arrays are gathered one at a time, each source released
/// after its gather: at most about twice the final arrays.</item>
/// </list>
/// </remarks>
public sealed class InteractionsBuilder
{
    private int[] _rows, _cols;
    private float[]? _values;
    private long[]? _times;
    private int _count;
    private readonly bool _sized;
    private int _maxRow = -1, _maxCol = -1;
    private bool _rowByRow = true;
    // A part (Part) writes entries [_offset, _offset + capacity) of its host's arrays and never grows;
    // a host with a part outstanding may not write past _limit, where the part begins.
    private readonly int _offset;
    private int _limit = int.MaxValue;
    private readonly InteractionsBuilder? _host;
    private InteractionsBuilder? _part;

    /// <summary>A builder for a <paramref name="rows"/> × <paramref name="columns"/> matrix; every entry is checked against it as it is added.</summary>
    public InteractionsBuilder(int rows, int columns)
        : this(0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(columns);
        Rows = rows;
        Columns = columns;
        _sized = true;
    }

    /// <summary>
    /// A builder whose size is known only at the end (a reader that meets users and items as it goes):
    /// see <see cref="Build(int, int)"/>. <paramref name="expected"/>: about how many entries will be
    /// added (an upper bound such as a file's line count), so the arrays are made once; 0 when unknown.
    /// </summary>
    public InteractionsBuilder(long expected = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(expected);
        Rows = Columns = -1;
        int capacity = (int)Math.Min(Math.Max(expected, 16), Array.MaxLength);
        _rows = LargeArrays.Uninitialized<int>(capacity);
        _cols = LargeArrays.Uninitialized<int>(capacity);
    }

    /// <summary>The matrix's rows, or -1 until <see cref="Build(int, int)"/> when the builder was made without a size.</summary>
    public int Rows { get; private set; }
    public int Columns { get; private set; }
    public int Duplicates { get; private set; }
    /// <summary>Entries added so far, repeats included.</summary>
    public int Count => _count;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Add(int row, int col, float? value = null, long? timestamp = null)
    {
        if (_sized ? (uint)row >= (uint)Rows : row < 0) throw new ArgumentOutOfRangeException(nameof(row), $"row {row} outside [0, {(_sized ? Rows : int.MaxValue)})");
        if (_sized ? (uint)col >= (uint)Columns : col < 0) throw new ArgumentOutOfRangeException(nameof(col), $"column {col} outside [0, {(_sized ? Columns : int.MaxValue)})");
        if (_offset + _count == Math.Min(_rows.Length, _limit)) Grow();
        // A value or timestamp first seen after other entries: those count as value 1 and time 0.
        if (value.HasValue && _values is null) _values = Column(1f);
        if (timestamp.HasValue && _times is null) _times = Column(0L);
        int k = _offset + _count++;
        _rows[k] = row;
        _cols[k] = col;
        if (_values is not null) _values[k] = value ?? 1f;
        if (_times is not null) _times[k] = timestamp ?? 0;
        _rowByRow &= row >= _maxRow;
        if (row > _maxRow) _maxRow = row;
        if (col > _maxCol) _maxCol = col;
    }

    /// <summary>A new column as long as the others, its first <see cref="_count"/> entries <paramref name="fill"/>.</summary>
    private T[] Column<T>(T fill) where T : unmanaged
    {
        if (_host is not null || _part is not null)
            throw new InvalidOperationException("a builder split into parts has its value and timestamp columns from the split (Part)");
        var column = LargeArrays.Uninitialized<T>(_rows.Length);
        column.AsSpan(0, _count).Fill(fill);
        return column;
    }

    private void Grow()
    {
        if (_host is not null || _part is not null)
            throw new InvalidOperationException($"more entries than the {(_host is null ? _limit : _rows.Length - _offset)} lines counted for this part");
        if (_count == Array.MaxLength) throw new InvalidOperationException($"more than {Array.MaxLength} interactions");
        int capacity = (int)Math.Min(2L * _rows.Length, Array.MaxLength);
        _rows = Resized(_rows, capacity);
        _cols = Resized(_cols, capacity);
        if (_values is not null) _values = Resized(_values, capacity);
        if (_times is not null) _times = Resized(_times, capacity);
    }

    private T[] Resized<T>(T[] array, int length) where T : unmanaged
    {
        var resized = LargeArrays.Uninitialized<T>(length);
        array.AsSpan(0, Math.Min(_count, length)).CopyTo(resized);
        return resized;
    }

    /// <summary>
    /// A builder for a second thread that reads the second part of a file: it writes the last
    /// <paramref name="capacity"/> places of this builder's arrays (made for both parts' lines), with
    /// row and column numbers of its own until <see cref="Join"/> maps them into this builder's, and
    /// with this builder's columns: values and timestamps are kept when <paramref name="values"/> and
    /// <paramref name="times"/> say so, for both parts alike.
    /// </summary>
    public InteractionsBuilder Part(int capacity, bool values, bool times)
    {
        if (_sized || _host is not null || _part is not null) throw new InvalidOperationException("only an unsized builder splits, once");
        int offset = _rows.Length - capacity;
        if (capacity < 0 || offset < _count) throw new ArgumentOutOfRangeException(nameof(capacity), $"{capacity} places for the part leave fewer than the {_count} entries already added");
        if (values && _values is null) _values = Column(1f);
        if (times && _times is null) _times = Column(0L);
        _part = new InteractionsBuilder(this, offset);
        _limit = offset;
        return _part;
    }

    private InteractionsBuilder(InteractionsBuilder host, int offset)
    {
        Rows = Columns = -1;
        _host = host;
        _offset = offset;
        _rows = host._rows;
        _cols = host._cols;
        _values = host._values;
        _times = host._times;
    }

    /// <summary>
    /// Takes the entries of <paramref name="part"/> (made by <see cref="Part"/>, its adding done) after this
    /// builder's own, as if added here in that order, with its row r as <paramref name="rowMap"/>[r] and its
    /// column c as <paramref name="columnMap"/>[c].
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Join(InteractionsBuilder part, int[] rowMap, int[] columnMap)
    {
        if (part._host != this || _part != part) throw new ArgumentException("not this builder's outstanding part", nameof(part));
        int previous = _count == 0 ? -1 : _rows[_count - 1];
        bool rowByRow = _rowByRow;
        // Moving left (or not at all) in one forward pass never overwrites an entry not yet moved.
        for (int j = 0; j < part._count; j++)
        {
            int row = rowMap[_rows[part._offset + j]], col = columnMap[_cols[part._offset + j]];
            _rows[_count + j] = row;
            _cols[_count + j] = col;
            rowByRow &= row >= previous;
            previous = row;
            if (row > _maxRow) _maxRow = row;
            if (col > _maxCol) _maxCol = col;
        }
        _values?.AsSpan(part._offset, part._count).CopyTo(_values.AsSpan(_count));
        _times?.AsSpan(part._offset, part._count).CopyTo(_times.AsSpan(_count));
        _rowByRow = rowByRow;
        _count += part._count;
        _part = null;
        _limit = int.MaxValue;
        part._count = 0;
    }

    /// <summary>Builds the matrix of the size given at construction. The builder is spent afterwards.</summary>
    public Interactions Build()
    {
        if (!_sized) throw new InvalidOperationException("this builder was made without a size: call Build(rows, columns)");
        return Assemble();
    }

    /// <summary>Builds a <paramref name="rows"/> × <paramref name="columns"/> matrix; every entry must lie inside it. The builder is spent afterwards.</summary>
    public Interactions Build(int rows, int columns)
    {
        if (_sized && (rows != Rows || columns != Columns))
            throw new ArgumentException($"this builder was made for {Rows} × {Columns}, not {rows} × {columns}");
        if (_maxRow >= rows) throw new ArgumentOutOfRangeException(nameof(rows), $"an entry has row {_maxRow}, outside [0, {rows})");
        if (_maxCol >= columns) throw new ArgumentOutOfRangeException(nameof(columns), $"an entry has column {_maxCol}, outside [0, {columns})");
        Rows = rows;
        Columns = columns;
        return Assemble();
    }

    // From this many entries on, rows are settled on two threads.
    private const int ParallelEntries = 1 << 20;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private Interactions Assemble()
    {
        if (_host is not null || _part is not null) throw new InvalidOperationException("a part is built by joining it to its host (Join)");
        int n = _count, rows = Rows;
        var start = new int[rows + 1];
        foreach (int row in _rows.AsSpan(0, n)) start[row + 1]++;
        for (int r = 0; r < rows; r++) start[r + 1] += start[r];
        int longest = 0;
        for (int r = 0; r < rows; r++) longest = Math.Max(longest, start[r + 1] - start[r]);

        if (_rowByRow)
        {
            // Row r's entries already lie at [start[r], start[r+1]): each is settled where it is. Large
            // matrices are settled in two halves of rows at once (the rows are independent); the second
            // half's entries then move left by the first half's merged repeats.
            _rows = null!;
            var bounds = (int[])start.Clone();
            int mid = n >= ParallelEntries ? Math.Max(0, Array.BinarySearch(bounds, n / 2) is int at && at >= 0 ? at : ~at - 1) : rows;
            int keptFirst = 0, keptSecond = 0;
            var (entryCols, entryValues, entryTimes) = (_cols, _values, _times);
            void SettleRows(int first, int last, ref int kept)
            {
                var settle = new RowSettler(longest, entryCols, entryTimes);
                int to = bounds[first];
                for (int r = first; r < last; r++)
                {
                    start[r] = to + kept;
                    kept += settle.InPlace(bounds[r], bounds[r + 1] - bounds[r], to + kept, entryCols, entryValues, entryTimes);
                }
            }
            if (mid < rows)
                Parallel.Invoke(() => SettleRows(0, mid, ref keptFirst), () => SettleRows(mid, rows, ref keptSecond));
            else
                SettleRows(0, rows, ref keptFirst);
            int kept = keptFirst;
            if (mid < rows)
            {
                int gap = bounds[mid] - keptFirst;
                if (gap > 0)
                {
                    entryCols.AsSpan(bounds[mid], keptSecond).CopyTo(entryCols.AsSpan(keptFirst));
                    entryValues?.AsSpan(bounds[mid], keptSecond).CopyTo(entryValues.AsSpan(keptFirst));
                    entryTimes?.AsSpan(bounds[mid], keptSecond).CopyTo(entryTimes.AsSpan(keptFirst));
                    for (int r = mid; r < rows; r++) start[r] -= gap;
                }
                kept += keptSecond;
            }
            start[rows] = kept;
            Duplicates = n - kept;
            var keptCols = Trimmed(ref _cols!, kept);
            var keptValues = _values is null ? null : Trimmed(ref _values, kept);
            var keptTimes = _times is null ? null : Trimmed(ref _times, kept);
            return new Interactions(rows, Columns, start, keptCols, keptValues, keptTimes);
        }

        var settleOrder = new RowSettler(longest, _cols, _times);
        // Counting sort by row, stable: within a row the entries stay in the order they were added.
        var next = start.AsSpan(0, rows).ToArray();
        var order = LargeArrays.Uninitialized<int>(n);
        for (int k = 0; k < n; k++) order[next[_rows[k]]++] = k;
        next = null;
        _rows = null!;
        int written = 0;
        for (int r = 0; r < rows; r++)
        {
            int from = start[r], length = start[r + 1] - from;
            start[r] = written;
            written += settleOrder.Winners(order, from, length, written);
        }
        start[rows] = written;
        Duplicates = n - written;
        settleOrder = null!; // it holds the sources too
        var cols = Gather(ref _cols!, order, written);
        var values = _values is null ? null : Gather(ref _values, order, written);
        var times = _times is null ? null : Gather(ref _times, order, written);
        return new Interactions(rows, Columns, start, cols, values, times);
    }

    /// <summary>The first <paramref name="count"/> entries: the array itself when it has exactly that many; the builder lets go of it either way.</summary>
    private static T[] Trimmed<T>(ref T[] source, int count) where T : unmanaged
    {
        var array = source;
        source = null!;
        if (array.Length == count) return array;
        var trimmed = LargeArrays.Uninitialized<T>(count);
        array.AsSpan(0, count).CopyTo(trimmed);
        return trimmed;
    }

    /// <summary>The entries at <paramref name="order"/>[0..count) in that order; the source is released first, so the collector may take it.</summary>
    private static T[] Gather<T>(ref T[] source, int[] order, int count) where T : unmanaged
    {
        var from = source;
        source = null!;
        var gathered = LargeArrays.Uninitialized<T>(count);
        for (int j = 0; j < count; j++) gathered[j] = from[order[j]];
        return gathered;
    }

    /// <summary>
    /// Settles one row: its entries by column, ties in order of addition, and of a run of one column only
    /// the winner (later in the run wins unless its timestamp is earlier). Buffers sized for the longest row.
    /// </summary>
    private sealed class RowSettler(int longest, int[]? cols, long[]? times)
    {
        private readonly long[] _keys = new long[longest];
        private readonly int[] _index = new int[longest], _cols = new int[longest];
        private readonly float[] _values = new float[longest];
        private readonly long[] _times = new long[longest];

        /// <summary>
        /// The row at [<paramref name="from"/>, +<paramref name="length"/>) of the entry arrays, settled and
        /// written from <paramref name="to"/> (≤ from) on; returns how many entries it keeps.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public int InPlace(int from, int length, int to, int[] colArray, float[]? valueArray, long[]? timeArray)
        {
            if (length == 0) return 0;
            // The row's entries as they were, so writing from `to` on cannot overwrite one not yet read.
            colArray.AsSpan(from, length).CopyTo(_cols);
            valueArray?.AsSpan(from, length).CopyTo(_values);
            timeArray?.AsSpan(from, length).CopyTo(_times);
            var key = SortedKeys(_cols, length);
            int kept = 0;
            for (int j = 0; j < length;)
            {
                int col = (int)(key[j] >> 32), winner = (int)key[j], end = j + 1;
                for (; end < length && (int)(key[end] >> 32) == col; end++)
                {
                    int candidate = (int)key[end];
                    if (timeArray is null || _times[candidate] >= _times[winner]) winner = candidate;
                }
                colArray[to + kept] = col;
                if (valueArray is not null) valueArray[to + kept] = _values[winner];
                if (timeArray is not null) timeArray[to + kept] = _times[winner];
                kept++;
                j = end;
            }
            return kept;
        }

        /// <summary>
        /// The row whose entries are <paramref name="order"/>[from, +length): its winners' entry numbers,
        /// written to <paramref name="order"/> from <paramref name="to"/> (≤ from) on; returns how many.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public int Winners(int[] order, int from, int length, int to)
        {
            if (length == 0) return 0;
            order.AsSpan(from, length).CopyTo(_index);
            for (int j = 0; j < length; j++) _cols[j] = cols![_index[j]];
            var key = SortedKeys(_cols, length);
            int kept = 0;
            for (int j = 0; j < length;)
            {
                int col = (int)(key[j] >> 32), winner = _index[(int)key[j]], end = j + 1;
                for (; end < length && (int)(key[end] >> 32) == col; end++)
                {
                    int candidate = _index[(int)key[end]];
                    if (times is null || times[candidate] >= times[winner]) winner = candidate;
                }
                order[to + kept++] = winner;
                j = end;
            }
            return kept;
        }

        /// <summary>Keys of (column, position) for the row's columns <paramref name="rowCols"/>[0..length), sorted (left alone when already in order).</summary>
        private Span<long> SortedKeys(int[] rowCols, int length)
        {
            var key = _keys.AsSpan(0, length);
            bool sorted = true;
            for (int j = 0; j < length; j++)
            {
                key[j] = ((long)rowCols[j] << 32) | (uint)j;
                if (j > 0 && key[j] < key[j - 1]) sorted = false;
            }
            if (!sorted) key.Sort();
            return key;
        }
    }
}
