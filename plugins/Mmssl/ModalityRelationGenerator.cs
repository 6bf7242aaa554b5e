using TorchSharp;
using TorchSharp.Modules;
using Untangle.Contracts.Data;
using static TorchSharp.torch;
using Untangle.Contracts.Training;

namespace Untangle.Plugins.Mmssl;

/// <summary>
/// MMSSL's modality-guided collaborative relation generator (Wei et al., WWW 2023, sec. 3.1):
/// per modality m, item features are projected to d (Linear + dropout), aggregated over the user–item
/// graph into user features, and back into item features,
/// <code>
///   f_i⁰ = dropout(W_m x_i^m + b_m),   f_u^m = Σ_{i∈N_u} f_i⁰ / √|N_u|,   f_i^m = Σ_{u∈N_i} f_u^m / √|N_i|,
/// </code>
/// and the generated relation is Â^m[u, i] = cos(f_u^m, f_i^m), with the user's training items zeroed
/// (what the critic compares against the Gumbel-transformed interaction rows).
/// </summary>
/// <remarks>
/// The aggregation uses the spec's one-sided normalisations (1/√|N_u| then 1/√|N_i|); the official
/// code multiplies by its normalised ui/iu graphs. Projections are checkpointed as projections.&lt;m&gt;;
/// the raw features and the aggregation matrices are plain fields (not parameters, not buffers).
/// </remarks>
public sealed class ModalityRelationGenerator : nn.Module
{
    private readonly ModuleList<Linear> projections;
    private readonly Tensor[] _features;
    // Arrays, not Tensor fields: TorchSharp registers a submodule's Tensor fields as buffers when the
    // parent registers it, and these are neither parameters nor state (the checkpoint is the projections).
    private readonly Tensor[] _aggregation;
    private readonly double _dropout;
    private readonly Interactions _train;
    // The training rows as torch CSR parts (row starts, row lengths, columns): KnownRows gathers a
    // batch's rows natively. Arrays for the reason above.
    private readonly Tensor[] _rows;

    /// <param name="features">Per modality, items × F_m (split item order), on the run's device; owned.</param>
    public ModalityRelationGenerator(IReadOnlyList<string> modalities, Tensor[] features, Interactions train, int size, double dropout, Device device)
        : base(nameof(ModalityRelationGenerator))
    {
        Modalities = modalities;
        _features = features;
        _train = train;
        _dropout = dropout;
        projections = new ModuleList<Linear>();
        foreach (var f in features) projections.Add(nn.Linear(f.shape[1], size, device: device));
        _aggregation = [ScaledRows(train, device), ScaledRows(train.Transpose(), device)];
        _rows = [Detached(tensor(train.RowStart.Select(x => (long)x).ToArray()).to(device)),
            Detached(tensor(Enumerable.Range(0, train.Rows).Select(r => (long)train.RowLength(r)).ToArray()).to(device)),
            Detached(tensor(train.Columns.Select(x => (long)x).ToArray()).to(device))];
        RegisterComponents();
    }

    public IReadOnlyList<string> Modalities { get; }

    /// <summary>
    /// Off (the paper and the official code): f_i^m = Σ_{u∈N_i} f_u^m/√|N_i| holds the item's own
    /// features only through its users' sums, so an item with one or two users is described mostly by
    /// other items. On (hyper.item_self_features, a deviation): f_i^m adds the item's own projection
    /// f_i⁰, a self-loop (the official parser's unused "sc" GCN self-connection).
    /// </summary>
    public bool SelfFeatures { get; init; }

    public int Count => _features.Length;

    /// <summary>Per modality, (f_u^m: users × d, f_i^m: items × d). Dropout applies in training mode unless <paramref name="noDropout"/>.</summary>
    public (Tensor Users, Tensor Items)[] Features(bool noDropout = false)
    {
        var result = new (Tensor, Tensor)[_features.Length];
        for (int m = 0; m < _features.Length; m++)
        {
            var projected = nn.functional.dropout(projections[m].forward(_features[m]), _dropout, training && !noDropout);
            var users = _aggregation[0].mm(projected);
            var items = _aggregation[1].mm(users);
            result[m] = (users, SelfFeatures ? items.add(projected, HeldScalars.One) : items);
        }
        return result;
    }

    /// <summary>
    /// Â^m rows for <paramref name="users"/>: cos(f_u, f_i) over all items, batch × I, known items zeroed
    /// when <paramref name="zeroKnown"/>, each row L2-normalised over the items when
    /// <paramref name="normalizeRows"/> (the official u_sim_calculation; see <see cref="GumbelRows"/>).
    /// </summary>
    public Tensor Relation(Tensor userFeatures, Tensor itemFeatures, long[] users, bool zeroKnown, bool normalizeRows = false)
    {
        using var index = tensor(users, device: userFeatures.device);
        var rows = nn.functional.normalize(userFeatures.index_select(0, index), p: 2, dim: 1)
            .mm(nn.functional.normalize(itemFeatures, p: 2, dim: 1).t());
        if (zeroKnown) rows = rows - rows * KnownRows(users, rows.device); // no Scalar: see HeldScalars
        return normalizeRows ? nn.functional.normalize(rows, p: 2, dim: 1) : rows;
    }

    /// <summary>The users' training rows as a dense batch × I 0/1 matrix (A[u, ·]).</summary>
    /// <remarks>
    /// Gathered with torch ops from the CSR parts, not filled in a managed batch × I array: a large
    /// managed array per call lands on the large-object heap and forces frequent collections, and every
    /// collection runs the finalizers that free TorchSharp's temporary Scalars (<see cref="HeldScalars"/>),
    /// so fewer collections mean fewer chances of the race inside libraries MMSSL calls (BatchNorm's
    /// counter update crashed a run here).
    /// </remarks>
    public Tensor KnownRows(long[] users, Device device)
    {
        using var scope = NewDisposeScope();
        using var index = tensor(users, device: device);
        var lengths = _rows[1].index_select(0, index);
        var starts = _rows[0].index_select(0, index);
        var rowOfEntry = arange(users.Length, dtype: ScalarType.Int64, device: device).repeat_interleave(lengths);
        // Position of each entry inside its row: a running count minus the row's first position.
        var firstOfRow = lengths.cumsum(0) - lengths;
        var within = arange(rowOfEntry.shape[0], dtype: ScalarType.Int64, device: device) - firstOfRow.index_select(0, rowOfEntry);
        var columns = _rows[2].index_select(0, starts.index_select(0, rowOfEntry).add(within, HeldScalars.One));
        var dense = zeros(users.Length, _train.ColumnCount, device: device);
        dense.index_put_(HeldScalars.One, rowOfEntry, columns);
        return dense.MoveToOuterDisposeScope();
    }

    private static Tensor Detached(Tensor t) => t.DetachFromDisposeScope();

    /// <summary>Rows of <paramref name="m"/> scaled by 1/√(row length): Σ_{j∈row} x_j / √|row| as a sparse product.</summary>
    private static Tensor ScaledRows(Interactions m, Device device)
    {
        var index = new long[2 * m.Count];
        var values = new float[m.Count];
        for (int r = 0; r < m.Rows; r++)
            for (int k = m.RowStart[r]; k < m.RowStart[r + 1]; k++)
            {
                index[k] = r;
                index[m.Count + k] = m.Columns[k];
                values[k] = (float)(1.0 / Math.Sqrt(m.RowLength(r)));
            }
        using var i = tensor(index, [2, m.Count]);
        using var v = tensor(values);
        using var sparse = sparse_coo_tensor(i, v, [m.Rows, m.ColumnCount]);
        return sparse.to(device).DetachFromDisposeScope();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            foreach (var f in _features) f.Dispose();
            foreach (var a in _aggregation) a.Dispose();
            foreach (var r in _rows) r.Dispose();
        }
        base.Dispose(disposing);
    }
}
