using System.Numerics;
using System.Runtime.InteropServices;
using TorchSharp;
using Untangle.Contracts.Data;
using Untangle.Contracts.Training;
using static TorchSharp.torch;

namespace Untangle.Plugins.Foundation;

/// <summary>
/// Â·X for a constant sparse Â on the CPU, from compressed-row (CSR) copies of Â and Âᵀ made once,
/// with X's gradient Âᵀ·G. The product LightGCN computes L times forward and L times backward per
/// batch (He et al., SIGIR 2020, eq. 7).
/// </summary>
/// <remarks>
/// libtorch's COO product is the fallback and the reference (CsrPropagationTests compares both,
/// forward and gradient): on the CPU its backward transposes and re-sorts Â on every call, and with
/// two threads it ran slower than with one (LightGCN on 5,000 × 2,000 synthetic users and items:
/// 5.3–5.6 s per epoch with one libtorch thread, 6.3–7.1 s with 2). Here each output row is a weighted sum of
/// X's rows, vectorised over the columns; rows are split in blocks of about
/// equal nonzeros, over train.threads (<see cref="KernelThreads"/>) when the product is large enough
/// (<see cref="SplitAbove"/>). Â takes no gradient (LightGCN's graph is fixed); the caller falls back to
/// <c>adjacency.mm</c> for a graph that requires one or lives on another device.
/// </remarks>
public sealed class CsrGraph
{
    /// <summary>
    /// Multiply-adds (nonzeros × columns of X) below which the product stays on one thread. Measured
    /// (LightGCN, d = 64, 2 cores): at 5,000 × 2,000 synthetic users and items (320,000 nonzeros) two
    /// threads were slower than one (1.9–2.6 s per epoch against 1.5–2.3 s), at 20,000 × 4,000
    /// (1.28 M nonzeros) faster (26 s against 31–46 s).
    /// </summary>
    public const long SplitAbove = 32_000_000;

    // Â's entries row by row, in the project's CSR type (its values are the weights).
    private readonly Interactions _matrix;
    private readonly float[] _values;
    private CsrGraph? _transposed;

    private CsrGraph(Interactions matrix)
    {
        _matrix = matrix;
        _values = matrix.Values ?? throw new ArgumentException("a CSR graph needs its weights");
    }

    public int Rows => _matrix.Rows;
    public int Columns => _matrix.ColumnCount;

    /// <summary>The CSR copy of a 2-D sparse COO float32 tensor on the CPU (entries in any order; repeats add up in the product).</summary>
    public static CsrGraph FromCoo(Tensor sparse)
    {
        if (!sparse.is_sparse || sparse.dim() != 2 || sparse.dtype != ScalarType.Float32 || sparse.device_type != DeviceType.CPU)
            throw new ArgumentException("a CSR graph is made from a 2-D sparse float32 CPU tensor");
        using var indices = sparse.SparseIndices.contiguous();
        using var weights = sparse.SparseValues.contiguous();
        var at = MemoryMarshal.Cast<byte, long>(indices.bytes);
        var values = MemoryMarshal.Cast<byte, float>(weights.bytes);
        int nnz = values.Length, rows = checked((int)sparse.shape[0]);
        ReadOnlySpan<long> rowOf = at[..nnz], columnOf = at[nnz..];

        // Counting sort of the entries by row (a coalesced tensor is in this order already).
        var start = new int[rows + 1];
        foreach (var r in rowOf) start[r + 1]++;
        for (int r = 0; r < rows; r++) start[r + 1] += start[r];
        var next = (int[])start.Clone();
        var cols = new int[nnz];
        var vals = new float[nnz];
        for (int k = 0; k < nnz; k++)
        {
            int slot = next[rowOf[k]]++;
            cols[slot] = checked((int)columnOf[k]);
            vals[slot] = values[k];
        }
        return new CsrGraph(new Interactions(rows, checked((int)sparse.shape[1]), start, cols, vals));
    }

    /// <summary>Âᵀ, made on first use and kept.</summary>
    public CsrGraph Transposed => _transposed ??= new CsrGraph(_matrix.Transpose());

    /// <summary>Â·X for a contiguous CPU float32 X of Columns × d, as a new Rows × d tensor.</summary>
    public Tensor Multiply(Tensor x)
    {
        if (x.dim() != 2 || x.shape[0] != Columns)
            throw new ArgumentException($"Â is {Rows} x {Columns}, X is {string.Join(" x ", x.shape)}");
        int width = checked((int)x.shape[1]);
        using var input = x.contiguous();
        var output = empty([Rows, width], dtype: ScalarType.Float32);
        var rowStart = _matrix.RowStart;
        int parts = (long)_matrix.Count * width < SplitAbove ? 1 : KernelThreads.Count;
        if (parts == 1)
        {
            Rows_(input, output, width, 0, Rows);
            return output;
        }
        // Blocks of about equal nonzeros, one per thread.
        var bounds = new int[parts + 1];
        bounds[parts] = Rows;
        for (int p = 1, r = 0; p < parts; p++)
        {
            long target = (long)_matrix.Count * p / parts;
            while (r < Rows && rowStart[r] < target) r++;
            bounds[p] = r;
        }
        Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = parts }, p => Rows_(input, output, width, bounds[p], bounds[p + 1]));
        return output;
    }

    private void Rows_(Tensor input, Tensor output, int width, int from, int to)
    {
        var x = MemoryMarshal.Cast<byte, float>(input.bytes);
        var y = MemoryMarshal.Cast<byte, float>(output.bytes);
        bool vectors = Vector.IsHardwareAccelerated && width % Vector<float>.Count == 0;
        int[] rowStart = _matrix.RowStart, columns = _matrix.Columns;
        for (int r = from; r < to; r++)
        {
            var target = y.Slice(r * width, width);
            target.Clear();
            for (int k = rowStart[r]; k < rowStart[r + 1]; k++)
            {
                var source = x.Slice(columns[k] * width, width);
                float w = _values[k];
                if (vectors)
                {
                    var t = MemoryMarshal.Cast<float, Vector<float>>(target);
                    var s = MemoryMarshal.Cast<float, Vector<float>>(source);
                    for (int q = 0; q < t.Length; q++) t[q] += w * s[q];
                }
                else
                {
                    for (int j = 0; j < width; j++) target[j] += w * source[j];
                }
            }
        }
    }
}

/// <summary>The autograd node of <see cref="CsrGraph.Multiply"/>: Y = Â·X forward, ∂L/∂X = Âᵀ·∂L/∂Y backward.</summary>
public sealed class CsrProduct : autograd.SingleTensorFunction<CsrProduct>
{
    public override string Name => nameof(CsrProduct);

    /// <summary>Â·X with X's gradient; vars: the <see cref="CsrGraph"/>, then X.</summary>
    public static Tensor Apply(CsrGraph graph, Tensor x) => apply(graph, x);

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var graph = (CsrGraph)vars[0];
        ctx.save_data("graph", graph);
        return graph.Multiply((Tensor)vars[1]);
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad_output)
    {
        var graph = (CsrGraph)ctx.get_data("graph");
        return [null!, graph.Transposed.Multiply(grad_output)];
    }
}
