using Untangle.Contracts.Components;
using static TorchSharp.torch;
using Untangle.Contracts.Training;

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
public sealed class LightGcnModel : CachedScoringModule
{
    private readonly UserItemEmbeddings _ego;
    private readonly IGraphEncoder _encoder;
    private readonly Tensor _adjacency;

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

    /// <summary>The graph the encoder propagates over (owned by the model; do not dispose).</summary>
    public Tensor Graph => _adjacency;

    /// <summary>The encoder in the "encoder" slot.</summary>
    public IGraphEncoder Encoder => _encoder;

    /// <summary>The final embeddings (users × d, items × d), with gradients to E⁽⁰⁾ and the encoder.</summary>
    public (Tensor Users, Tensor Items) Propagate()
    {
        using var all = _ego.All();
        using var propagated = _encoder.Propagate(_adjacency, all);
        var parts = propagated.split([_ego.UserCount, _ego.ItemCount]);
        return (parts[0], parts[1]);
    }

    /// <summary>The final embeddings for scoring (cached by the base class, see remarks).</summary>
    protected override (Tensor Users, Tensor Items) ComputeScoringTables() => Propagate();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _adjacency.Dispose();
        }
        base.Dispose(disposing);
    }
}
