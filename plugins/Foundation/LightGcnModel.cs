using Untangle.Contracts.Components;
using static TorchSharp.torch;

namespace Untangle.Plugins.Foundation;

/// <summary>
/// LightGCN's model (He et al., SIGIR 2020, sec. 3): the ego embeddings E⁽⁰⁾ (its only parameters),
/// propagated over the normalised user–item graph Â by the encoder slot (eq. 7-8) to give the
/// final user and item embeddings whose inner product is the score (eq. 5).
/// </summary>
/// <remarks>
/// <para>
/// Training propagates once per optimisation step over the full graph, as the reference code's
/// <c>computer()</c>. Scoring propagates once per evaluation pass instead of once per scoring batch:
/// the propagated tables are cached until they may be stale. They go stale when the parameters
/// change, so the cache is dropped (1) after every training batch, by the AfterBatch system
/// <see cref="LightGcnMethod"/> declares, (2) on every train()/eval() switch, and (3) whenever a
/// state is loaded (a checkpoint restore), so the best epoch's test evaluation never sees the last
/// epoch's tables.
/// </para>
/// <para>
/// Submodules are registered by hand rather than by RegisterComponents(): the adjacency and the cached
/// tables are tensor fields, which RegisterComponents would make checkpointed buffers, and the encoder
/// is checkpointed under its own slot name.
/// </para>
/// </remarks>
public sealed class LightGcnModel : nn.Module
{
    private readonly UserItemEmbeddings _ego;
    private readonly IGraphEncoder _encoder;
    private readonly Tensor _adjacency;
    private Tensor? _scoringUsers, _scoringItems;

    /// <param name="ego">E⁽⁰⁾; becomes the submodule "ego" (checkpoint keys ego.user_embedding, ego.item_embedding).</param>
    /// <param name="encoder">The propagation (slot "encoder"); not owned, the run disposes it.</param>
    /// <param name="adjacency">Â over users then items; owned and disposed with the model.</param>
    public LightGcnModel(UserItemEmbeddings ego, IGraphEncoder encoder, Tensor adjacency) : base("LightGCN")
    {
        long nodes = ego.UserCount + ego.ItemCount;
        if (adjacency.dim() != 2 || adjacency.shape[0] != nodes || adjacency.shape[1] != nodes)
            throw new ArgumentException(
                $"the graph is {string.Join(" x ", adjacency.shape)}, but LightGCN needs (users + items) x (users + items) = {nodes} x {nodes}");
        _ego = ego;
        _encoder = encoder;
        _adjacency = adjacency;
        register_module("ego", ego);
    }

    public UserItemEmbeddings Ego => _ego;

    /// <summary>The final embeddings (users × d, items × d), with gradients to E⁽⁰⁾ and the encoder.</summary>
    public (Tensor Users, Tensor Items) Propagate()
    {
        using var all = _ego.All();
        using var propagated = _encoder.Propagate(_adjacency, all);
        var parts = propagated.split([_ego.UserCount, _ego.ItemCount]);
        return (parts[0], parts[1]);
    }

    /// <summary>The final embeddings for scoring, computed once without gradients and cached (see remarks).</summary>
    public (Tensor Users, Tensor Items) ScoringTables()
    {
        if (_scoringUsers is null || _scoringItems is null)
        {
            using var noGrad = no_grad();
            var (users, items) = Propagate();
            _scoringUsers = users.DetachFromDisposeScope();
            _scoringItems = items.DetachFromDisposeScope();
        }
        return (_scoringUsers, _scoringItems);
    }

    /// <summary>Drops the cached scoring tables; the next <see cref="ScoringTables"/> propagates again.</summary>
    public void ForgetScoringTables()
    {
        _scoringUsers?.Dispose();
        _scoringItems?.Dispose();
        _scoringUsers = _scoringItems = null;
    }

    public override void train(bool train = true)
    {
        ForgetScoringTables();
        base.train(train);
    }

    public override nn.Module load(BinaryReader reader, bool strict = true, IList<string>? skip = null, Dictionary<string, bool>? loadedParameters = null)
    {
        ForgetScoringTables();
        return base.load(reader, strict, skip, loadedParameters);
    }

    public override (IList<string> missing_keys, IList<string> unexpected_keyes) load_state_dict(Dictionary<string, Tensor> source, bool strict = true, IList<string>? skip = null)
    {
        ForgetScoringTables();
        return base.load_state_dict(source, strict, skip);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            ForgetScoringTables();
            _adjacency.Dispose();
        }
        base.Dispose(disposing);
    }
}
