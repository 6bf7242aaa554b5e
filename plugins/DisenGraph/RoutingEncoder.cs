using TorchSharp;
using Untangle.Contracts.Components;
using Untangle.Contracts.Training;
using static TorchSharp.torch;

namespace Untangle.Plugins.DisenGraph;

/// <summary>
/// A graph encoder that splits each node's d dimensions into K channels of d/K and routes every edge
/// to the channels that explain it: DisenGCN's neighbourhood routing (<see cref="NeighbourhoodRouting"/>)
/// and DGCF's intent routing (<see cref="IntentRouting"/>). Besides the propagated embeddings
/// (<see cref="IGraphEncoder.Propagate"/>) it hands out the routing it inferred, one distribution over
/// the K channels per edge, for the analyses and the independence loss that need the channels.
/// </summary>
/// <remarks>
/// The parameter-free routing layers own no weights; they are modules so that the slot checkpoints
/// and switches them like any encoder. The graph's edge lists are cut once per graph (see
/// <see cref="GraphEdges"/>) and kept until the encoder is disposed.
/// </remarks>
public abstract class RoutingEncoder : nn.Module<Tensor, Tensor, Tensor>, IGraphEncoder
{
    /// <summary>Floor under squared norms and degrees (TensorFlow's l2_normalize epsilon, 1e-12).</summary>
    protected static readonly Scalar Floor = 1e-12.ToScalar();

    // A method may hand one encoder two graphs (FairMI propagates z and p over copies of one graph),
    // so the edge lists are kept per graph object; a few at most, dropped oldest first.
    private const int GraphsKept = 4;
    private readonly Dictionary<Tensor, GraphEdges> _edges = new(ReferenceEqualityComparer.Instance);
    private readonly Queue<Tensor> _cutOrder = new();

    protected RoutingEncoder(string name, int channels, int iterations, int layers) : base(name)
    {
        if (channels < 1) throw new ArgumentOutOfRangeException(nameof(channels), $"routing needs at least 1 channel, got {channels}");
        if (iterations < 1) throw new ArgumentOutOfRangeException(nameof(iterations), $"routing needs at least 1 iteration, got {iterations}");
        if (layers < 1) throw new ArgumentOutOfRangeException(nameof(layers), $"routing needs at least 1 layer, got {layers}");
        Channels = channels;
        Iterations = iterations;
        Layers = layers;
    }

    /// <summary>K, the number of channels (DisenGCN) or intents (DGCF).</summary>
    public int Channels { get; }

    /// <summary>T, routing iterations per layer.</summary>
    public int Iterations { get; }

    /// <summary>L, routing layers.</summary>
    public int Layers { get; }

    public nn.Module Module => this;

    public Tensor Propagate(Tensor adjacency, Tensor embeddings) => forward(adjacency, embeddings);

    public override Tensor forward(Tensor graph, Tensor embeddings)
    {
        var (output, routing) = Route(graph, embeddings);
        routing.Dispose();
        return output;
    }

    /// <summary>
    /// The propagated embeddings (nodes × d) and the routing of the last iteration of the last layer,
    /// edges × K, each row a distribution over channels, edges in the order of <see cref="EdgesOf"/>.
    /// </summary>
    public abstract (Tensor Output, Tensor Routing) Route(Tensor graph, Tensor embeddings);

    /// <summary>The edge lists of <paramref name="graph"/>, cut on first use and cached for that graph object.</summary>
    public GraphEdges EdgesOf(Tensor graph)
    {
        if (_edges.TryGetValue(graph, out var edges)) return edges;
        if (_cutOrder.Count == GraphsKept)
        {
            var oldest = _cutOrder.Dequeue();
            _edges[oldest].Dispose();
            _edges.Remove(oldest);
        }
        edges = GraphEdges.Of(graph);
        _edges[graph] = edges;
        _cutOrder.Enqueue(graph);
        return edges;
    }

    /// <summary>d / K, after checking that the embeddings split evenly into the channels.</summary>
    protected long ChannelSize(Tensor embeddings, GraphEdges edges)
    {
        if (embeddings.dim() != 2 || embeddings.shape[0] != edges.Nodes)
            throw new ArgumentException(
                $"the embeddings are {string.Join(" x ", embeddings.shape)}, but the graph has {edges.Nodes} nodes; routing needs nodes x d");
        long d = embeddings.shape[1];
        if (d % Channels != 0)
            throw new ArgumentException($"embedding size {d} does not split into {Channels} channels; choose a channel count that divides it");
        return d / Channels;
    }

    /// <summary>
    /// The d × K block indicator B (B[j, k] = 1 when dimension j lies in channel k). Rows × d times B
    /// sums each channel's c dimensions; rows × K times Bᵀ spreads a per-channel value over its c
    /// dimensions. The sum is a small GEMM that keeps every tensor two-dimensional; measured on 64,000
    /// edges × 60 (libtorch 2.10, 2 threads, forward and backward) it was about as fast as summing a
    /// trailing axis of an edges × K × c view (8.5 ms against 7.0 ms), not faster.
    /// </summary>
    protected Tensor ChannelBlocks(long c, Tensor like) =>
        eye(Channels, dtype: like.dtype, device: like.device).repeat_interleave(c, 0);

    /// <summary>
    /// Each channel of each row (rows × d) scaled to unit length, as TensorFlow's l2_normalize:
    /// x · rsqrt(max(Σx², 1e-12)). Applied to node rows before they are gathered onto edges, since
    /// a node's normalised chunk is the same on each of its edges and an edges × d tensor costs
    /// (edges / nodes) times as much memory traffic.
    /// </summary>
    protected static Tensor UnitChannels(Tensor x, Tensor blocks) =>
        Spread(x, x.Squared().mm(blocks).clamp_min(Floor).rsqrt());

    /// <summary>rows × d times a per-channel factor (rows × K), each channel's c dimensions by its own factor.</summary>
    protected static Tensor Spread(Tensor rows, Tensor perChannel)
    {
        long k = perChannel.shape[1];
        return (rows.view(rows.shape[0], k, -1) * perChannel.unsqueeze(2)).view(rows.shape[0], -1);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            foreach (var edges in _edges.Values) edges.Dispose();
        base.Dispose(disposing);
    }
}
