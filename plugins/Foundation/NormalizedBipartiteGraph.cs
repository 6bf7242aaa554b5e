using Untangle.Contracts.Components;
using Untangle.Contracts.Data;
using static TorchSharp.torch;

namespace Untangle.Plugins.Foundation;

/// <summary>
/// The symmetric-normalised user–item graph of LightGCN (He et al., SIGIR 2020, sec. 3.1.3, eq. 6-7; the same
/// matrix as NGCF's Laplacian without self-loops): with R the users × items training matrix,
/// <code>
///     A = [ 0   R ]        Â = D^-1/2 A D^-1/2,   Â[u, U+i] = Â[U+i, u] = 1 / sqrt(|N_u| |N_i|)
///         [ Rᵀ  0 ]
/// </code>
/// over U + I nodes, users first, then items. An isolated user or item has no entries, so its row
/// is zero, as the reference code's <c>d_inv[np.isinf(d_inv)] = 0</c>; no degree is ever divided
/// by unless it is at least one.
/// </summary>
/// <remarks>
/// <para>With <see cref="SelfLoops"/> the matrix is D̃^-1/2 (A + I) D̃^-1/2 with D̃ = D + I, the renormalised
/// GCN adjacency (Kipf &amp; Welling, ICLR 2017, eq. 2) that FairMI's official code propagates over
/// (utils/graph.py: add_self_loop, then norm): every node keeps 1 / (|N| + 1) of itself per layer, and
/// an isolated node keeps its whole row.</para>
/// <para>The COO indices are written on the CPU straight from the CSR rows of R and Rᵀ, so the memory is
/// O(nnz), never O((U+I)²). Rows are emitted in ascending order with sorted, unique columns, which
/// is coalesced order (this TorchSharp has no <c>coalesce()</c>): a self-loop sits before the item
/// columns in a user's row and after the user columns in an item's row.</para>
/// </remarks>
public sealed class NormalizedBipartiteGraph(bool selfLoops = false) : IGraphBuilder
{
    /// <summary>Adds I before normalising (D̃^-1/2 (A + I) D̃^-1/2), as FairMI's official graph.</summary>
    public bool SelfLoops => selfLoops;

    public Tensor Build(GraphInput input)
    {
        var interactions = input.Interactions
            ?? throw new ArgumentException("the user-item graph builder needs GraphInput.Interactions (the training matrix)");
        return Build(interactions, input.Device, selfLoops);
    }

    /// <summary>Â for the users × items matrix <paramref name="userItem"/>, as a sparse float32 (U+I) × (U+I) tensor on <paramref name="device"/>.</summary>
    public static Tensor Build(Interactions userItem, Device device, bool selfLoops = false)
    {
        int users = userItem.Rows, items = userItem.ColumnCount;
        var itemUser = userItem.Transpose();
        int loop = selfLoops ? 1 : 0;
        long nnz = 2L * userItem.Count + (selfLoops ? users + items : 0);
        var rowIndex = new long[nnz];
        var colIndex = new long[nnz];
        var values = new float[nnz];
        // D̃ = D + I when self-loops are added: each degree counts the node itself once more.
        int UserDegree(int u) => userItem.RowLength(u) + loop;
        int ItemDegree(int i) => itemUser.RowLength(i) + loop;

        long at = 0;
        for (int u = 0; u < users; u++)
        {
            if (selfLoops) (rowIndex[at], colIndex[at], values[at++]) = (u, u, Weight(UserDegree(u), UserDegree(u)));
            for (int k = userItem.RowStart[u]; k < userItem.RowStart[u + 1]; k++, at++)
            {
                int i = userItem.Columns[k];
                rowIndex[at] = u;
                colIndex[at] = users + i;
                values[at] = Weight(UserDegree(u), ItemDegree(i));
            }
        }
        for (int i = 0; i < items; i++)
        {
            for (int k = itemUser.RowStart[i]; k < itemUser.RowStart[i + 1]; k++, at++)
            {
                int u = itemUser.Columns[k];
                rowIndex[at] = users + i;
                colIndex[at] = u;
                values[at] = Weight(UserDegree(u), ItemDegree(i));
            }
            if (selfLoops) (rowIndex[at], colIndex[at], values[at++]) = (users + i, users + i, Weight(ItemDegree(i), ItemDegree(i)));
        }

        var indexData = new long[2 * nnz];
        Array.Copy(rowIndex, 0, indexData, 0, nnz);
        Array.Copy(colIndex, 0, indexData, nnz, nnz);
        using var indices = tensor(indexData, [2, nnz]);
        using var weights = tensor(values, [nnz]);
        using var adjacency = sparse_coo_tensor(indices, weights, [users + items, users + items]);
        return adjacency.to(device).DetachFromDisposeScope();
    }

    // Both degrees are at least one here: the edge (u, i) itself, or the self-loop, counts in each.
    private static float Weight(int userDegree, int itemDegree) =>
        (float)(1.0 / Math.Sqrt((double)userDegree * itemDegree));
}
