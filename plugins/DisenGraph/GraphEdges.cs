using static TorchSharp.torch;

namespace Untangle.Plugins.DisenGraph;

/// <summary>
/// The edges of a sparse (users + items) square graph as lists: for each stored entry (h, t) of the
/// matrix, the node that receives the message (<see cref="Heads"/>, the row), the node that sends it
/// (<see cref="Tails"/>, the column) and the entry's value (<see cref="Weights"/>). A symmetric graph
/// lists each user–item pair twice, once in each direction, as DGCF's <c>all_h_list</c>/<c>all_t_list</c>.
/// </summary>
/// <remarks>
/// Routing encoders read the graph as edge lists, because each edge carries K routing weights that
/// change every iteration; a sparse matrix per channel would be rebuilt 2·K·T times a step. The lists
/// are cut once per graph (the slot hands the same graph to every call) and held outside any batch's
/// dispose scope.
/// </remarks>
public sealed class GraphEdges : IDisposable
{
    private readonly Tensor _incidence;

    private GraphEdges(Tensor heads, Tensor tails, Tensor weights, long nodes)
    {
        Heads = heads;
        Tails = tails;
        Weights = weights;
        Nodes = nodes;
        using var at = stack([heads, arange(heads.shape[0], dtype: int64, device: heads.device)]);
        using var one = ones([heads.shape[0]], dtype: float32, device: heads.device);
        _incidence = sparse_coo_tensor(at, one, [nodes, heads.shape[0]]).DetachFromDisposeScope();
    }

    /// <summary>Row of each entry: the node whose representation the message updates (int64, E).</summary>
    public Tensor Heads { get; }

    /// <summary>Column of each entry: the neighbour the message comes from (int64, E).</summary>
    public Tensor Tails { get; }

    /// <summary>The entry's value (E), e.g. Â's 1/√(d_h d_t) for the user-item graph.</summary>
    public Tensor Weights { get; }

    public long Nodes { get; }

    public long Count => Heads.shape[0];

    /// <summary>Cuts the edge lists of a sparse square <paramref name="graph"/> (COO; a repeated entry is a repeated edge).</summary>
    public static GraphEdges Of(Tensor graph)
    {
        if (graph.dim() != 2 || graph.shape[0] != graph.shape[1])
            throw new ArgumentException($"a routing encoder needs a square graph; got {string.Join(" x ", graph.shape)}");
        if (!graph.is_sparse)
            throw new ArgumentException("a routing encoder needs a sparse graph (a graph builder's COO tensor); got a dense one");
        using var scope = NewDisposeScope();
        var indices = graph.SparseIndices;
        var edges = new GraphEdges(indices[0].clone(), indices[1].clone(), graph.SparseValues.clone(), graph.shape[0]);
        edges.Heads.DetachFromDisposeScope();
        edges.Tails.DetachFromDisposeScope();
        edges.Weights.DetachFromDisposeScope();
        return edges;
    }

    /// <summary>
    /// Σ over edges of <paramref name="messages"/> (edges × …) at each edge's head: nodes × …, by a
    /// sparse product with the nodes × edges incidence matrix. On the CPU this is about four times
    /// faster than index_add over 64,000 edges, forward and backward together (measured with
    /// libtorch 2.10, 2 threads: 12 ms against 50 ms for gather-and-sum of 60 columns).
    /// </summary>
    public Tensor SumAtHeads(Tensor messages)
    {
        var columns = messages.reshape(messages.shape[0], -1);
        var summed = messages.dtype == _incidence.dtype
            ? _incidence.mm(columns)
            : _incidence.to(messages.dtype).mm(columns);
        var shape = messages.shape.ToArray();
        shape[0] = Nodes;
        return summed.view(shape);
    }

    public void Dispose()
    {
        _incidence.Dispose();
        Heads.Dispose();
        Tails.Dispose();
        Weights.Dispose();
    }
}
