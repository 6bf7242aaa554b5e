using TorchSharp;
using Untangle.Contracts.Analysis;
using Untangle.Contracts.Training;
using static TorchSharp.torch;

namespace Untangle.Plugins.DisenGraph;

/// <summary>
/// Do the routed channels mean the true intents? For every training edge seen from its user (u ← i),
/// the channel with the largest routing weight against the category of item i: NMI and ARI beside a
/// uniformly random channel per edge (<see cref="CategoryRecovery"/>, rows "edges", channels
/// "intents"). DGCF's paper reads its intents off the same per-edge scores (Wang et al., SIGIR 2020,
/// its analysis of the intent-aware scores of user–item edges); on synthetic data, whose items each
/// belong to one true intent, it measures the recovery directly. The same is reported per item
/// (keys item_nmi, item_ari, item_random_nmi, item_random_ari): each item's routing averaged over its
/// training edges, whose argmax is the item's intent, as MacridVAE's item → concept assignment.
/// </summary>
public static class EdgeIntents
{
    /// <param name="encoder">The routing encoder, whose routing is read on <paramref name="graph"/>.</param>
    /// <param name="graph">The (users + items) square graph the model propagates over.</param>
    /// <param name="embeddings">The encoder's input, users then items.</param>
    /// <param name="users">Number of users: nodes below it are users, the rest items.</param>
    /// <param name="itemCategories">True category of each item, -1 for none.</param>
    public static IReadOnlyDictionary<string, double> Measure(RoutingEncoder encoder, Tensor graph, Tensor embeddings,
        int users, int[] itemCategories, int seed)
    {
        using var scope = NewDisposeScope();
        var (_, routing) = encoder.Route(graph, embeddings);
        var edges = encoder.EdgesOf(graph);
        using var firstItem = users.ToScalar();
        var userSide = edges.Heads.lt(firstItem).logical_and(edges.Tails.ge(firstItem)).nonzero().squeeze(1);
        var itemOfEdge = edges.Tails.index_select(0, userSide).sub(firstItem);
        var categories = itemOfEdge.cpu().data<long>().ToArray().Select(i => itemCategories[i]).ToArray();
        var edgeRouting = routing.index_select(0, userSide);
        var measured = new Dictionary<string, double>(
            CategoryRecovery.Measure(edgeRouting, categories, seed, rows: "edges", channels: "intents"));

        // Per item: the routing summed over its edges (the argmax of a sum is that of the mean).
        var itemRouting = zeros([itemCategories.Length, routing.shape[1]], dtype: routing.dtype, device: routing.device)
            .index_add(0, itemOfEdge, edgeRouting, HeldScalars.One);
        var trained = itemRouting.sum(1).gt(HeldScalars.Zero).cpu().data<bool>().ToArray();
        var itemTruth = itemCategories.Select((c, i) => trained[i] ? c : -1).ToArray();
        var perItem = CategoryRecovery.Measure(itemRouting, itemTruth, seed, rows: "items", channels: "intents");
        foreach (var key in new[] { "nmi", "ari", "random_nmi", "random_ari" })
            measured[$"item_{key}"] = perItem[key];
        return measured;
    }
}
