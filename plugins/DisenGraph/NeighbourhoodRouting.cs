using Untangle.Contracts.Training;
using static TorchSharp.torch;

namespace Untangle.Plugins.DisenGraph;

/// <summary>
/// DisenGCN's neighbourhood routing (Ma, Cui, Kuang, Wang, Zhu, "Disentangled Graph Convolutional
/// Networks", ICML 2019, Algorithm 1), L layers of it, as a graph encoder. Per layer, with
/// K channels of c = d/K dimensions and z_{i,k} the unit-normalised k-th chunk of node i's input:
/// <code>
///     p⁽⁰⁾_{u,v,k} = 1/K                                                (the official code's first pass)
///     c_{u,k}      = z_{u,k} + Σ_{v ∈ N(u)} w_uv · p_{u,v,k} · z_{v,k}                    (Algorithm 1)
///     p_{u,v,k}    = softmax_k( z_{v,k}ᵀ c_{u,k} / τ )                                   (Algorithm 1)
///     c_{u,k}      ← c_{u,k} / ‖c_{u,k}‖   between iterations, not after the last       (see below)
/// </code>
/// T iterations alternate the two updates; the last c goes forward as the layer's output
/// y_u = [c_{u,1}, …, c_{u,K}], and the output of the last layer is the encoder's output.
/// </summary>
/// <remarks>
/// <para>
/// <b>Gradient path.</b> Gradients flow through every iteration, into the routing weights and
/// through them into z, as in the official code (DisenGCN-py3's <c>NeibRoutLayer</c>: nothing is
/// detached). A test checks the autograd gradient against finite differences of the whole encoder.
/// </para>
/// <para><b>Where this follows the official code rather than the paper's Algorithm 1</b></para>
/// <list type="bullet">
///   <item>The first iteration routes uniformly (the code's zero logits) instead of starting from
///   c = z_u, and the last iteration's c is not normalised (the code's
///   <c>if clus_iter &lt; max_iter - 1</c>), so outputs keep a scale for the ranking scores.</item>
///   <item>The layer has no weights: the code's routing layers are parameter-free and its only
///   projection, σ(Wx + b), is the input layer over the features. In a recommender's encoder slot the
///   input is the method's free ego embeddings, which play that projection's role (a linear map of
///   one-hot IDs), so no W is added.</item>
/// </list>
/// <para><b>Departures from both, for a recommender's graph slot</b></para>
/// <list type="bullet">
///   <item>All neighbours, weighted by the graph's entries w_uv (1/√(d_u d_v) for the "user-item"
///   graph; 1 for a plain graph, which is DisenGCN's sum), instead of a fixed-size sample of m
///   neighbours per node: the bipartite graph's degrees span three orders of magnitude, and an
///   unweighted sum would let a user's popular neighbours swamp the self term.</item>
///   <item>No ReLU or dropout between layers: those belong to DisenGCN's node classifier, and the
///   encoder replaces a LightGCN propagation that has neither (He et al., SIGIR 2020, sec. 3.1.1).</item>
/// </list>
/// </remarks>
public sealed class NeighbourhoodRouting : RoutingEncoder
{
    public NeighbourhoodRouting(int channels, int iterations, int layers, double temperature)
        : base(nameof(NeighbourhoodRouting), channels, iterations, layers)
    {
        if (!(temperature > 0) || double.IsInfinity(temperature))
            throw new ArgumentOutOfRangeException(nameof(temperature), $"the routing temperature must be a positive number, got {temperature}");
        Temperature = temperature;
    }

    /// <summary>τ of the routing softmax.</summary>
    public double Temperature { get; }

    public override (Tensor Output, Tensor Routing) Route(Tensor graph, Tensor embeddings)
    {
        var edges = EdgesOf(graph);
        long c = ChannelSize(embeddings, edges);
        long n = edges.Nodes, k = Channels;
        using var scope = NewDisposeScope();
        var weights = edges.Weights.to(embeddings.dtype).unsqueeze(1); // E × 1
        var blocks = ChannelBlocks(c, embeddings);                         // d × K, see ChannelBlocks
        var x = embeddings;
        Tensor routing = null!;
        for (int layer = 0; layer < Layers; layer++)
        {
            var z = UnitChannels(x, blocks);                 // [z_{i,1}..z_{i,K}], nodes × d
            var neighbours = z.index_select(0, edges.Tails); // z_{v,k} for each edge (u ← v), edges × d
            Tensor? centre = null;                           // [c_{u,1}..c_{u,K}], nodes × d
            for (int t = 0; t < Iterations; t++)
            {
                routing = centre is null
                    ? ones([edges.Count, k], dtype: x.dtype, device: x.device).Over(k)
                    : nn.functional.softmax((neighbours * centre.index_select(0, edges.Heads)).mm(blocks).Over(Temperature), 1);
                centre = z.Plus(edges.SumAtHeads(Spread(neighbours, routing * weights)));
                if (t < Iterations - 1) centre = UnitChannels(centre, blocks);
            }
            x = centre!;
        }
        return (x.MoveToOuterDisposeScope(), routing.MoveToOuterDisposeScope());
    }
}
