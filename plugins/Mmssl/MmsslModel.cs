using TorchSharp;
using Untangle.Contracts.Components;
using Untangle.Plugins.Foundation;
using static TorchSharp.torch;
using Untangle.Contracts.Training;

namespace Untangle.Plugins.Mmssl;

/// <summary>One full-graph pass of MMSSL: the final embeddings and what the auxiliary losses need.</summary>
/// <param name="UserViews">The per-modality user views e_u^m before attention (M × U × d), what the cross-modal
/// contrastive loss pairs with h_u (the spec's e_u^m; the official code's image_user_id / text_user_id), or
/// null without modality graphs.</param>
public sealed record MmsslPass(Tensor Users, Tensor Items, (Tensor Users, Tensor Items)[] Features, Tensor? UserViews);

/// <summary>
/// MMSSL's model (Wei et al., WWW 2023, sec. 3.3-3.4):
/// <code>
///   e_u^m = modality-aware view of the ID embeddings over N_u^m       (ModalityGraphs)
///   Ē_u   = mean_m Attention(e_u^1..e_u^M)_m                          (CrossModalAttention)
///   ê     = LightGCN(E + η·normalize(Ē))                              (slot "encoder" over slot "graph")
///   h_u   = ê_u + ω·Σ_m normalize(f_u^m),  h_i likewise;  ŷ_ui = h_u·h_i
/// </code>
/// </summary>
/// <remarks>
/// Scoring propagates once per evaluation pass: the tables are cached and dropped after every
/// training batch (a system of <see cref="MmsslMethod"/>), on train()/eval() and on loading a state,
/// as <see cref="LightGcnModel"/>. The official code applies a softmax over the embedding dimension in
/// its last propagation layer; Untangle uses the encoder slot's plain light graph convolution (the paper).
/// </remarks>
public sealed class MmsslModel : CachedScoringModule
{
    private readonly UserItemEmbeddings _ego;
    private readonly ModalityRelationGenerator _generator;
    private readonly CrossModalAttention _attention;
    private readonly IGraphEncoder _encoder;
    private readonly Tensor _adjacency;
    private readonly MmsslHyperParameters _hyper;
    // η and ω as Scalars held for the model's life (a temporary Scalar can be freed under a native call: HeldScalars).
    private readonly TorchSharp.Scalar _idRate, _modalityRate;

    public MmsslModel(UserItemEmbeddings ego, ModalityRelationGenerator generator, CrossModalAttention attention,
        IGraphEncoder encoder, Tensor adjacency, MmsslHyperParameters hyper) : base("MMSSL")
    {
        _ego = ego;
        _generator = generator;
        _attention = attention;
        _encoder = encoder;
        _adjacency = adjacency;
        _hyper = hyper;
        _idRate = hyper.IdRate.ToScalar();
        _modalityRate = hyper.ModalityRate.ToScalar();
        Graphs = new ModalityGraphs(generator.Count, hyper.TopK);
        register_module("ego", ego);
        register_module("generator", generator);
        register_module("attention", attention);
        if (hyper.UseModalityGraphs) RebuildGraphs();
    }

    public UserItemEmbeddings Ego => _ego;
    public ModalityRelationGenerator Generator => _generator;
    public CrossModalAttention Attention => _attention;
    public ModalityGraphs Graphs { get; }

    /// <summary>Rebuilds the modality-aware top-k graphs from the current projections (no dropout).</summary>
    public void RebuildGraphs()
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        Graphs.Rebuild(_generator.Features(noDropout: true));
    }

    /// <summary>The full-graph pass, with gradients.</summary>
    public MmsslPass Forward()
    {
        var features = _generator.Features();
        var egoUsers = _ego.UserTable;
        var egoItems = _ego.ItemTable;
        Tensor inputUsers = egoUsers, inputItems = egoItems;
        Tensor? userViews = null;
        if (_hyper.UseModalityGraphs)
        {
            var users = stack(Enumerable.Range(0, _generator.Count).Select(m => Graphs.UserSide(m).mm(egoItems)).ToArray());
            var items = stack(Enumerable.Range(0, _generator.Count).Select(m => Graphs.ItemSide(m).mm(egoUsers)).ToArray());
            userViews = users;
            if (_hyper.UseAttention)
            {
                users = _attention.Attend(users);
                items = _attention.Attend(items);
            }
            inputUsers = egoUsers.add(nn.functional.normalize(users.mean([0]), p: 2, dim: 1), _idRate);
            inputItems = egoItems.add(nn.functional.normalize(items.mean([0]), p: 2, dim: 1), _idRate);
        }
        var propagated = _encoder.Propagate(_adjacency, cat([inputUsers, inputItems], 0));
        var parts = propagated.split([_ego.UserCount, _ego.ItemCount]);
        Tensor h_u = parts[0], h_i = parts[1];
        foreach (var (fu, fi) in features)
        {
            h_u = h_u.add(nn.functional.normalize(fu, p: 2, dim: 1), _modalityRate);
            h_i = h_i.add(nn.functional.normalize(fi, p: 2, dim: 1), _modalityRate);
        }
        return new MmsslPass(h_u, h_i, features, userViews);
    }

    /// <summary>h_u and h_i for scoring, computed once without gradients and cached by the base class.</summary>
    protected override (Tensor Users, Tensor Items) ComputeScoringTables()
    {
        var pass = Forward();
        return (pass.Users, pass.Items);
    }

    public override nn.Module load(BinaryReader reader, bool strict = true, IList<string>? skip = null, Dictionary<string, bool>? loadedParameters = null)
    {
        var loaded = base.load(reader, strict, skip, loadedParameters);
        if (_hyper.UseModalityGraphs) RebuildGraphs(); // the graphs follow the restored projections
        return loaded;
    }

    public override (IList<string> missing_keys, IList<string> unexpected_keyes) load_state_dict(Dictionary<string, Tensor> source, bool strict = true, IList<string>? skip = null)
    {
        var result = base.load_state_dict(source, strict, skip);
        if (_hyper.UseModalityGraphs) RebuildGraphs();
        return result;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Graphs.Dispose();
            _adjacency.Dispose();
            _idRate.Dispose();
            _modalityRate.Dispose();
        }
        base.Dispose(disposing);
    }
}
