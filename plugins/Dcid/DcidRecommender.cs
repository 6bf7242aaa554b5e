using TorchSharp;
using TorchSharp.Modules;
using Untangle.Contracts.Components;
using Untangle.Plugins.Foundation;
using static TorchSharp.torch;
using Untangle.Contracts.Training;

namespace Untangle.Plugins.Dcid;

/// <summary>
/// The recommendation phase over DCID's frozen item representation r_i (the concatenated commons, or
/// their codes): item embedding e_i + W r_i beside the user embedding e_u (BPR-MF, Rendle et al. 2009),
/// optionally propagated over the user–item graph by Foundation's encoder (LightGCN, He et al. 2020),
/// and scored by the inner product. W is Linear(|r| → d); with no representation ('none') it is the
/// plain backbone.
/// </summary>
/// <remarks>
/// The representation is a plain array field, not a parameter or buffer: it is fixed after the
/// representation phase and rebuilt by Build on resume. Scoring tables are cached per evaluation pass
/// and dropped after every batch and on every state load, as Foundation's LightGcnModel.
/// Checkpoint keys: ego.*, projection.*.
/// </remarks>
public sealed class DcidRecommender : CachedScoringModule
{
    private readonly UserItemEmbeddings ego;
    private readonly Linear? projection;
    private readonly Tensor[] _representation; // [items × |r|] or empty
    private readonly IGraphEncoder? _encoder;
    private readonly Tensor[] _adjacency; // [(U+I) × (U+I)] or empty

    public DcidRecommender(UserItemEmbeddings embeddings, Tensor? representation, IGraphEncoder? encoder, Tensor? adjacency, Device device)
        : base(nameof(DcidRecommender))
    {
        ego = embeddings;
        if (representation is not null)
        {
            if (representation.shape[0] != embeddings.ItemCount)
                throw new ArgumentException($"the item representation has {representation.shape[0]} rows but the recommender {embeddings.ItemCount} items");
            projection = nn.Linear(representation.shape[1], embeddings.ItemTable.shape[1], device: device);
        }
        _representation = representation is null ? [] : [representation];
        _encoder = encoder;
        _adjacency = adjacency is null ? [] : [adjacency];
        if ((encoder is null) != (adjacency is null)) throw new ArgumentException("a graph encoder needs its adjacency, and an adjacency its encoder");
        RegisterComponents();
    }

    public UserItemEmbeddings Ego => ego;

    /// <summary>Users × d and items × d with gradients: (e_u, e_i + W r_i), propagated when there is a graph encoder.</summary>
    public (Tensor Users, Tensor Items) Tables()
    {
        var items = ItemInput();
        if (_encoder is null) return (ego.UserTable, items);
        var propagated = _encoder.Propagate(_adjacency[0], cat([ego.UserTable, items], 0));
        var parts = propagated.split([ego.UserCount, ego.ItemCount]);
        return (parts[0], parts[1]);
    }

    /// <summary>
    /// For a training batch: the rows of <paramref name="users"/> (int64) and the whole item table, as
    /// <see cref="Tables"/> gives them. Without a graph encoder the user rows are read by row
    /// (<see cref="RowReadTables"/>); the items stay a whole table, since every item's e_i + W r_i is
    /// formed on every batch, as <see cref="Tables"/> forms it.
    /// </summary>
    public (Tensor Users, Tensor Items) ForBatch(Tensor users)
    {
        if (_encoder is null) return (ego.Users(users), ItemInput());
        var (all, items) = Tables();
        return (all.index_select(0, users), items);
    }

    /// <summary>
    /// The tables the training step reads by row only (<see cref="OptimizationStep.Tables"/>): the user
    /// table of the MF backbone, which <see cref="ForBatch"/> and the ego L2 read through
    /// <see cref="RowTable.Select"/>; none with a graph encoder, whose propagation reads it whole.
    /// </summary>
    public IReadOnlyList<RowTable> RowReadTables => _encoder is null ? [ego.UserRows] : [];

    // e_i + W r_i for every item (e_i without a representation).
    private Tensor ItemInput() => projection is null ? ego.ItemTable : ego.ItemTable + projection.forward(_representation[0]);

    /// <summary><see cref="Tables"/>, computed once without gradients for scoring and cached by the base class.</summary>
    protected override (Tensor Users, Tensor Items) ComputeScoringTables() => Tables();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            foreach (var t in _representation) t.Dispose();
            foreach (var t in _adjacency) t.Dispose();
        }
        base.Dispose(disposing);
    }
}
