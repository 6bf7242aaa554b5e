using TorchSharp;
using static TorchSharp.torch;
using Untangle.Contracts.Training;

namespace Untangle.Plugins.VaeCF;

/// <summary>
/// A batch × items matrix kept as its non-zeros (row index, item index, value), so that the input
/// side of a VAE never builds a dense users × items matrix: ML-20M has 20 000 items, and a dense
/// batch is only needed for the decoder's output. Normalisation and dropout act on
/// <see cref="Values"/> alone; products go through torch's sparse × dense mm.
/// </summary>
/// <remarks>
/// <para>The row and item indices are taken from the engine's sparse COO rows
/// (<c>TrainingBatch.SparseRows()</c>, <c>ScoringBatch.SparseKnown()</c>), which list each row's items
/// once, in CSR order.</para>
/// <para>Gradients flow into the dense operand of <see cref="MatMul"/>, never into the sparse values:
/// TorchSharp's <c>sparse_coo_tensor</c> is libtorch's C++ factory, which makes a new leaf, so values
/// that require a gradient would silently lose it. <see cref="MatMul"/> therefore refuses them; a
/// learned weighting of the items belongs on the dense side, (x ⊙ w)·W = x·(w ⊙ W) (see MacridVAE's
/// ConceptEncoder).</para>
/// </remarks>
public sealed class SparseRows
{
    private SparseRows(Tensor rowIndex, Tensor itemIndex, Tensor values, long rows, long items)
    {
        RowIndex = rowIndex;
        ItemIndex = itemIndex;
        Values = values;
        Rows = rows;
        Items = items;
    }

    /// <summary>Row of each non-zero (int64).</summary>
    public Tensor RowIndex { get; }
    /// <summary>Item (column) of each non-zero (int64).</summary>
    public Tensor ItemIndex { get; }
    /// <summary>Value of each non-zero (float32).</summary>
    public Tensor Values { get; }
    public long Rows { get; }
    public long Items { get; }
    public long NonZeros => Values.shape[0];

    /// <summary>The non-zeros of a 2-D sparse COO tensor whose (row, item) pairs are unique.</summary>
    public static SparseRows From(Tensor sparse)
    {
        if (!sparse.is_sparse || sparse.dim() != 2)
            throw new ArgumentException($"expected a 2-D sparse COO tensor of user rows, got a {(sparse.is_sparse ? "sparse" : "dense")} tensor of shape [{string.Join(", ", sparse.shape)}]");
        var indices = sparse.SparseIndices;
        var values = sparse.SparseValues;
        return new SparseRows(indices[0], indices[1], values.to_type(ScalarType.Float32), sparse.shape[0], sparse.shape[1]);
    }

    /// <summary>The same non-zeros with other values (one per non-zero).</summary>
    public SparseRows WithValues(Tensor values)
    {
        if (values.dim() != 1 || values.shape[0] != NonZeros)
            throw new ArgumentException($"expected {NonZeros} values, got shape [{string.Join(", ", values.shape)}]");
        return new SparseRows(RowIndex, ItemIndex, values, Rows, Items);
    }

    /// <summary>
    /// Each row divided by its L2 norm, as TensorFlow's <c>tf.nn.l2_normalize(x, 1)</c> in the
    /// reference code: x / sqrt(max(Σx², 1e-12)), so an empty row stays zero. The squared norms are a
    /// per-row sum over the non-zeros; for binary rows that is the row's length.
    /// </summary>
    public SparseRows L2Normalized()
    {
        var squares = zeros(Rows, dtype: Values.dtype, device: Values.device).index_add(0, RowIndex, Values * Values, StableScalar.One);
        var inverseNorm = squares.clamp_min(StableScalar.NormEpsilon).rsqrt();
        return WithValues(Values * inverseNorm.index_select(0, RowIndex));
    }

    /// <summary>
    /// Inverted dropout on the non-zeros (<c>tf.nn.dropout(h, keep)</c>): each value is kept with
    /// probability <paramref name="keep"/> and scaled by 1/keep, else set to 0. The zeros of the
    /// matrix are unaffected either way, so dropping out only the stored values is exact.
    /// The mask draws from torch's global generator, which the engine seeds with the run's seed.
    /// </summary>
    public SparseRows Dropout(double keep)
    {
        if (keep is <= 0 or > 1) throw new ArgumentOutOfRangeException(nameof(keep), keep, "the keep probability must be in (0, 1]");
        if (keep == 1) return this;
        var mask = empty(NonZeros, dtype: Values.dtype, device: Values.device).bernoulli_(keep);
        using var scale = (1 / keep).ToScalar(); // see StableScalar
        return WithValues((Values * mask).mul(scale));
    }

    /// <summary>The matrix as a sparse COO tensor; it carries no gradient to <see cref="Values"/> (see remarks).</summary>
    public Tensor ToSparse() => sparse_coo_tensor(stack([RowIndex, ItemIndex]), Values.detach(), [Rows, Items]);

    /// <summary>
    /// This matrix (rows × items) times a dense items × n matrix, by torch's sparse × dense mm, plus
    /// <paramref name="add"/> (broadcast over rows) when given; the gradient reaches the dense operands.
    /// Values that require a gradient are refused (see remarks).
    /// </summary>
    public Tensor MatMul(Tensor dense, Tensor? add = null)
    {
        if (dense.dim() != 2 || dense.shape[0] != Items)
            throw new ArgumentException($"cannot multiply {Rows} x {Items} rows by a matrix of shape [{string.Join(", ", dense.shape)}]");
        if (Values.requires_grad)
            throw new InvalidOperationException(
                "the sparse rows' values require a gradient, which a sparse COO tensor built by TorchSharp would drop; " +
                "move the differentiable weighting onto the dense operand: (x ⊙ w)·W = x·(w ⊙ W)");
        return add is null ? ToSparse().mm(dense) : add.addmm(ToSparse(), dense);
    }

    /// <summary>Σ over the non-zeros of value · matrix[row, item], divided by the row count: Σ_u Σ_i x_ui·m_ui / B.</summary>
    public Tensor MeanRowDot(Tensor matrix)
    {
        if (matrix.dim() != 2 || matrix.shape[0] != Rows || matrix.shape[1] != Items)
            throw new ArgumentException($"expected a {Rows} x {Items} matrix, got shape [{string.Join(", ", matrix.shape)}]");
        using var items = Items.ToScalar(); // see StableScalar
        using var rows = Math.Max(1, Rows).ToScalar();
        var picked = matrix.reshape(-1).index_select(0, RowIndex.mul(items).Plus(ItemIndex));
        return (Values * picked).sum().div(rows);
    }

    /// <summary>The matrix as a dense tensor (tests and small checks only).</summary>
    public Tensor ToDense() => ToSparse().to_dense();
}
