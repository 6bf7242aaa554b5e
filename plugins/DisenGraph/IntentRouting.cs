using Untangle.Contracts.Training;
using static TorchSharp.torch;

namespace Untangle.Plugins.DisenGraph;

/// <summary>
/// DGCF's intent-aware graph disentangling layers (Wang, Jin, Zhang, He, Chua, "Disentangled Graph
/// Collaborative Filtering", SIGIR 2020, its graph disentangling module), as a graph encoder. Every edge (u, i) of the
/// graph carries one score per intent, S_k(u, i), initially 1. With the embeddings cut into K
/// chunks u_k of d/K, each of T iterations per layer does:
/// <code>
///     S̃_k(u, i)  = exp S_k(u, i) / Σ_k' exp S_k'(u, i)                       (softmax over intents)
///     u_k⁽ᵗ⁾     = Σ_{i ∈ N(u)} S̃_k(u, i) / √(D_k(u) D_k(i)) · i_k⁽⁰⁾,  D_k(u) = Σ_i S̃_k(u, i)
///     S_k(u, i) ← S_k(u, i) + (u_k⁽ᵗ⁾/‖u_k⁽ᵗ⁾‖)ᵀ tanh(i_k⁽⁰⁾/‖i_k⁽⁰⁾‖)
/// </code>
/// where i_k⁽⁰⁾ is the layer's input chunk; the layer's output is the last iteration's [u_1, …, u_K],
/// and the encoder returns the mean of the input and every layer's output (the official
/// <c>reduce_mean</c> over <c>all_embeddings</c>; the paper's layer combination writes a sum).
/// </summary>
/// <remarks>
/// <para>
/// Followed from the official code (xiangwang1223/disentangled_graph_collaborative_filtering,
/// DGCF_v1/DGCF.py, <c>_create_star_routing_embed_with_P</c> and <c>_convert_A_values_to_A_factors_with_P</c>):
/// the tail is normalised before the tanh; the degree D_k is the row sum of S̃_k and multiplies both
/// sides (the code's <c>D_col_factors</c> twice); the scores S accumulate across iterations and carry
/// on from one layer into the next; the "pick" option (off by default) is not built.
/// </para>
/// <para>
/// <b>Gradient path.</b> Gradients flow through every iteration, into the scores and through them
/// into the embeddings, as the official TensorFlow graph (no stop_gradient). A test checks the
/// autograd gradient against finite differences of the whole encoder.
/// </para>
/// <para><b>Departures, each named</b></para>
/// <list type="bullet">
///   <item>The graph is the "graph" slot's; only its edges are used, not its weights (the routing
///   makes DGCF's weights). The official graph is the plain bipartite A without self-loops, which is
///   what the "user-item" builder's pattern is.</item>
///   <item>A node without edges gets zero rows instead of the official 0 · 1/√0 = NaN (only items
///   with no training interaction have none).</item>
///   <item>The score update after the last iteration of the last layer is skipped: nothing reads it.</item>
/// </list>
/// </remarks>
public sealed class IntentRouting : RoutingEncoder
{
    public IntentRouting(int intents, int iterations, int layers)
        : base(nameof(IntentRouting), intents, iterations, layers)
    {
    }

    public override (Tensor Output, Tensor Routing) Route(Tensor graph, Tensor embeddings)
    {
        var edges = EdgesOf(graph);
        long c = ChannelSize(embeddings, edges);
        long n = edges.Nodes, k = Channels;
        using var scope = NewDisposeScope();
        var scores = ones([edges.Count, k], dtype: embeddings.dtype, device: embeddings.device); // S, all ones
        var blocks = ChannelBlocks(c, embeddings);                     // d × K, see ChannelBlocks
        var sum = embeddings;
        var x = embeddings;
        Tensor routing = null!;
        for (int layer = 0; layer < Layers; layer++)
        {
            var tails = x.index_select(0, edges.Tails);                                 // [i_1..i_K]⁽⁰⁾ for each edge (u ← i), edges × d
            var tailKeys = UnitChannels(x, blocks).tanh().index_select(0, edges.Tails); // tanh(i_k/‖i_k‖)
            Tensor layerOutput = null!;
            for (int t = 0; t < Iterations; t++)
            {
                routing = nn.functional.softmax(scores, 1);                                 // S̃
                var degree = edges.SumAtHeads(routing);                                     // D_k(u), nodes × K
                var inverseRoot = degree.clamp_min(Floor).rsqrt();
                var laplacian = routing * inverseRoot.index_select(0, edges.Heads) * inverseRoot.index_select(0, edges.Tails); // S̃_k / √(D_k(u) D_k(i))
                layerOutput = edges.SumAtHeads(Spread(tails, laplacian));                  // u_k, nodes × d
                if (layer < Layers - 1 || t < Iterations - 1)
                {
                    var heads = UnitChannels(layerOutput, blocks).index_select(0, edges.Heads);
                    scores = scores.Plus((heads * tailKeys).mm(blocks));                   // S update
                }
            }
            x = layerOutput;
            sum = sum.Plus(x);
        }
        var output = sum.Over(Layers + 1);
        return (output.MoveToOuterDisposeScope(), routing.MoveToOuterDisposeScope());
    }
}
