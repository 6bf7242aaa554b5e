using Untangle.Contracts.Components;
using Untangle.Plugins.Foundation;
using static TorchSharp.torch;
using Untangle.Contracts.Training;

namespace Untangle.Plugins.FairMi;

/// <summary>
/// The recommendation model FairMI wraps, as the Foundation builds it: BPR-MF (the ego embeddings are
/// the final ones) or LightGCN (the ego embeddings propagated over the user–item graph). FairMI uses
/// it twice: as the interest encoder z, which learns and recommends, and as the frozen preference
/// model p, a plain copy trained first (<see cref="PreferencePretraining"/>).
/// </summary>
public sealed class InterestBackbone
{
    private readonly LightGcnModel? _lightGcn;
    private readonly IGraphEncoder? _encoder;

    private InterestBackbone(UserItemEmbeddings ego, LightGcnModel? lightGcn, IGraphEncoder? encoder)
    {
        Ego = ego;
        _lightGcn = lightGcn;
        _encoder = encoder;
    }

    /// <summary>BPR-MF: the embeddings are the model.</summary>
    public static InterestBackbone MatrixFactorisation(UserItemEmbeddings ego) => new(ego, null, null);

    /// <summary>LightGCN over <paramref name="adjacency"/> with <paramref name="encoder"/> (the run owns the encoder; the model owns the adjacency).</summary>
    public static InterestBackbone LightGcn(UserItemEmbeddings ego, IGraphEncoder encoder, Tensor adjacency) =>
        new(ego, new LightGcnModel(ego, encoder, adjacency), encoder);

    public UserItemEmbeddings Ego { get; }

    /// <summary>The module to checkpoint (the LightGCN model holds the ego embeddings as its submodule).</summary>
    public nn.Module Module => _lightGcn is null ? Ego : _lightGcn;

    public IReadOnlyList<TorchSharp.Modules.Parameter> Parameters =>
        [.. Module.parameters(), .. _encoder?.Module.parameters() ?? []];

    /// <summary>
    /// The tables a step that trains this backbone reads by row only (<see cref="OptimizationStep.Tables"/>):
    /// MF's two, which <see cref="BprTerms"/> and its row readers read through <see cref="RowTable.Select"/>;
    /// none for LightGCN, whose propagation reads both tables whole on every batch.
    /// </summary>
    public IReadOnlyList<RowTable> Tables => _lightGcn is null ? Ego.Tables : [];

    /// <summary>Final users × d and items × d embeddings, with gradients.</summary>
    public (Tensor Users, Tensor Items) Final() =>
        _lightGcn is null ? (Ego.UserTable, Ego.ItemTable) : _lightGcn.Propagate();

    /// <summary>Final embeddings for scoring (LightGCN: cached per evaluation pass; see <see cref="ForgetScoringTables"/>).</summary>
    public (Tensor Users, Tensor Items) ScoringTables() =>
        _lightGcn is null ? (Ego.UserTable, Ego.ItemTable) : _lightGcn.ScoringTables();

    /// <summary>Drops LightGCN's cached scoring tables after parameters change (no-op for MF).</summary>
    public void ForgetScoringTables() => _lightGcn?.ForgetScoringTables();

    /// <summary>
    /// The BPR loss and the L2 of <see cref="BprObjective"/> on (user, positive, negative) triples,
    /// and readers of the final user and item rows for the rest of the same loss: LightGCN's rows of the
    /// propagated tables this call computed; MF's rows of its tables, read by row (<see cref="Tables"/>).
    /// The L2 is on the ego rows (LightGCN's paper, eq. 15), or with <paramref name="regOnFinal"/> on the
    /// final rows the BPR term scored (the official FairMI calc_bpr_loss); for MF the two are the same.
    /// </summary>
    public BackboneTerms BprTerms(Tensor users, Tensor positives, Tensor negatives, double regWeight, bool regOnFinal = false)
    {
        Func<Tensor, Tensor> userRows, itemRows;
        if (_lightGcn is null)
        {
            (userRows, itemRows) = (Ego.Users, Ego.Items);
        }
        else
        {
            var (allUsers, allItems) = _lightGcn.Propagate();
            (userRows, itemRows) = (index => allUsers.index_select(0, index), index => allItems.index_select(0, index));
        }
        var (u, i, j) = (userRows(users), itemRows(positives), itemRows(negatives));
        var ranking = BprObjective.Loss(BprObjective.RowScores(u, i), BprObjective.RowScores(u, j));
        // MF's final rows are its ego rows, read once above; LightGCN's ego rows are read here.
        var (egoU, egoI, egoJ) = _lightGcn is null || regOnFinal ? (u, i, j) : (Ego.Users(users), Ego.Items(positives), Ego.Items(negatives));
        // BprObjective.EgoL2 with no temporary Scalars (see StableScalar): reg · (‖u‖² + ‖i‖² + ‖j‖²) / 2 / B.
        using var scale = StableScalar.Hold(regWeight / 2.0 / users.shape[0]);
        var squares = egoU.Squared().sum().Plus(egoI.Squared().sum()).Plus(egoJ.Squared().sum());
        var l2 = squares.mul(scale);
        return new BackboneTerms(ranking, l2, userRows, itemRows);
    }
}

/// <summary>
/// <see cref="InterestBackbone.BprTerms"/>: the BPR loss, the ego L2, and the final rows of given users
/// and items (int64 indices) with gradients, for the other terms of the same loss.
/// </summary>
public sealed record BackboneTerms(Tensor Bpr, Tensor L2, Func<Tensor, Tensor> UserRows, Func<Tensor, Tensor> ItemRows);
