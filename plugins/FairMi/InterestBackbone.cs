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

    /// <summary>Final users × d and items × d embeddings, with gradients.</summary>
    public (Tensor Users, Tensor Items) Final() =>
        _lightGcn is null ? (Ego.UserTable, Ego.ItemTable) : _lightGcn.Propagate();

    /// <summary>Final embeddings for scoring (LightGCN: cached per evaluation pass; see <see cref="ForgetScoringTables"/>).</summary>
    public (Tensor Users, Tensor Items) ScoringTables() =>
        _lightGcn is null ? (Ego.UserTable, Ego.ItemTable) : _lightGcn.ScoringTables();

    /// <summary>Drops LightGCN's cached scoring tables after parameters change (no-op for MF).</summary>
    public void ForgetScoringTables() => _lightGcn?.ForgetScoringTables();

    /// <summary>The BPR loss and the ego L2 of <see cref="BprObjective"/> on (user, positive, negative) triples, plus the final tables used.</summary>
    public (Tensor Bpr, Tensor L2, Tensor Users, Tensor Items) BprTerms(Tensor users, Tensor positives, Tensor negatives, double regWeight)
    {
        var (allUsers, allItems) = Final();
        var u = allUsers.index_select(0, users);
        var ranking = BprObjective.Loss(
            BprObjective.RowScores(u, allItems.index_select(0, positives)),
            BprObjective.RowScores(u, allItems.index_select(0, negatives)));
        // BprObjective.EgoL2 with no temporary Scalars (see StableScalar): reg · (‖u‖² + ‖i‖² + ‖j‖²) / 2 / B.
        using var scale = StableScalar.Hold(regWeight / 2.0 / users.shape[0]);
        var squares = Ego.Users(users).Squared().sum().Plus(Ego.Items(positives).Squared().sum()).Plus(Ego.Items(negatives).Squared().sum());
        var l2 = squares.mul(scale);
        return (ranking, l2, allUsers, allItems);
    }
}
