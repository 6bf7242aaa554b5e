using System.Numerics;
using System.Runtime.InteropServices;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Untangle.Contracts.Training;

/// <summary>How the engine updates an embedding table whose rows a step reads by index (<c>train.row_updates</c>).</summary>
public enum RowUpdates
{
    /// <summary>
    /// The gradient is a full table (zero outside the batch's rows) and every row takes an Adam step
    /// each batch, as torch.optim.Adam over nn.Embedding does: the moments of rows the batch did not
    /// read decay and keep moving them. Cost per batch grows with the table.
    /// </summary>
    Dense,

    /// <summary>
    /// The same updates as <see cref="Dense"/>, computed when they are needed: a row the batch did not
    /// read waits, and the zero-gradient steps it missed are applied in closed form when it is next read
    /// or when the engine settles the tables (before validation and every checkpoint). Cost per batch
    /// follows the batch. Adam without weight decay only (decay moves every row every step).
    /// </summary>
    Deferred,

    /// <summary>
    /// Only the rows the batch read take a step (lazy Adam, as TensorFlow's LazyAdamOptimizer and
    /// torch.optim.SparseAdam), each with its own step count for the bias corrections; the rest of the
    /// table does not move. Another optimisation by definition: a rarely read row moves far less.
    /// </summary>
    Lazy,
}

/// <summary>
/// An embedding table (one row per user or item) whose rows a step's loss reads by index through
/// <see cref="Select"/>, so that with <see cref="RowUpdates.Deferred"/> or <see cref="RowUpdates.Lazy"/>
/// the engine's work per batch follows the rows read, not the table.
/// </summary>
/// <remarks>
/// <para>
/// With row updates on and gradients enabled, <see cref="Select"/> copies the rows into a fresh leaf
/// tensor and remembers (index, leaf); nothing reaches the table's own gradient. After the backward
/// pass the engine sums each leaf's gradient by row (<see cref="TakeGradient"/>: a row read twice in a
/// batch, a user with two positives, gets the sum, as the dense gradient would hold) and hands the
/// rows and their gradient to the optimizer. If the same step also reads the table whole (LightGCN's
/// propagation over <c>cat(users, items)</c>), the table has a dense gradient anyway; the engine then
/// adds the rows' gradient into it and takes a dense step, so nothing is lost.
/// </para>
/// <para>
/// A step lists the tables it reads this way in <see cref="OptimizationStep.Tables"/>; the engine
/// sets <see cref="Updates"/> from <c>train.row_updates</c> for those only. A table no step lists
/// stays <see cref="RowUpdates.Dense"/>, and then <see cref="Select"/> is a plain index_select.
/// Listing a table is a promise: during training nothing else reads it (no other step, no stage
/// system), since with deferred updates rows the batch did not read are current only once settled.
/// Scoring and analyses run under no_grad, where <see cref="Select"/> is a plain index_select too.
/// </para>
/// </remarks>
/// <param name="table">The rows × d parameter, asked for each time: a module moved to another device replaces its fields.</param>
public sealed class RowTable(Func<Parameter> table)
{
    private readonly List<(Tensor Index, Tensor Rows)> _lookups = [];

    /// <summary>The rows × d parameter.</summary>
    public Parameter Table => table();

    /// <summary>Dense unless the engine switched this table to row updates for a step that lists it.</summary>
    public RowUpdates Updates { get; set; } = RowUpdates.Dense;

    /// <summary>
    /// Set by the engine for deferred updates: brings rows (int64 on the CPU) current before
    /// <see cref="Select"/> reads them, so the loss sees what dense Adam would have made of them.
    /// </summary>
    public Action<Tensor>? BeforeRead { get; set; }

    /// <summary>Rows <paramref name="index"/> (int64) of the table, batch × d, with a gradient path the engine follows.</summary>
    public Tensor Select(Tensor index)
    {
        if (Updates == RowUpdates.Dense || !is_grad_enabled()) return Table.index_select(0, index);
        Tensor rows;
        using (no_grad())
        {
            BeforeRead?.Invoke(index);
            rows = Table.index_select(0, index);
        }
        rows.requires_grad_(true);
        _lookups.Add((index, rows));
        return rows;
    }

    /// <summary>Forgets the lookups of an earlier step (the engine calls it before each loss).</summary>
    public void Clear() => _lookups.Clear();

    /// <summary>
    /// The distinct rows the step's loss read, in first-read order, and the gradient of the loss with
    /// respect to each (its leaves' gradients summed by row); null when no lookup received a gradient.
    /// Forgets the lookups. CPU float32 tables only: the engine turns row updates on for those alone.
    /// </summary>
    public RowGradient? TakeGradient()
    {
        var read = _lookups.Select(l => (l.Index, Gradient: l.Rows.grad)).Where(l => l.Gradient is not null).ToList();
        _lookups.Clear();
        if (read.Count == 0) return null;
        var table = Table;
        int width = checked((int)table.shape[1]);
        if (_slotOf is null || _slotOf.Length != table.shape[0])
        {
            _slotOf = new int[table.shape[0]];
            Array.Fill(_slotOf, -1);
        }
        var rows = new List<long>();
        int capacity = read.Sum(l => checked((int)l.Index.shape[0])) * width;
        if (_sums.Length < capacity) _sums = new float[capacity];
        foreach (var (index, gradient) in read)
        {
            using var indexHere = index.contiguous();
            using var gradientHere = gradient!.contiguous();
            var at = MemoryMarshal.Cast<byte, long>(indexHere.bytes);
            var values = MemoryMarshal.Cast<byte, float>(gradientHere.bytes);
            for (int i = 0; i < at.Length; i++)
            {
                long row = at[i];
                int slot = _slotOf[row];
                var target = _sums.AsSpan((slot < 0 ? rows.Count : slot) * width, width);
                var source = values.Slice(i * width, width);
                if (slot < 0)
                {
                    _slotOf[row] = rows.Count;
                    rows.Add(row);
                    source.CopyTo(target);
                }
                else
                {
                    Add(target, source);
                }
            }
        }
        foreach (var row in rows) _slotOf[row] = -1;
        return new RowGradient([.. rows], _sums, width);
    }

    // target += source.
    private static void Add(Span<float> target, ReadOnlySpan<float> source)
    {
        int j = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var t = MemoryMarshal.Cast<float, Vector<float>>(target);
            var s = MemoryMarshal.Cast<float, Vector<float>>(source);
            for (int q = 0; q < t.Length; q++) t[q] += s[q];
            j = t.Length * Vector<float>.Count;
        }
        for (; j < target.Length; j++) target[j] += source[j];
    }

    // Summing buffer, kept between steps.
    private float[] _sums = [];

    // Row → its slot in the gradient being summed, -1 elsewhere; kept between steps to spare the allocation.
    private int[]? _slotOf;
}

/// <summary>
/// The rows a step read and the loss's gradient for each, row-major in the first
/// <see cref="Rows"/>.Length × <see cref="Width"/> values of <see cref="Values"/> (a buffer the table
/// reuses: valid until its next <see cref="RowTable.TakeGradient"/>).
/// </summary>
public sealed record RowGradient(long[] Rows, float[] Values, int Width);
