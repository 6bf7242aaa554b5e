using System.Text.Json;
using static TorchSharp.torch;

namespace Untangle.Plugins.Mmssl;

/// <summary>
/// MMSSL's modality-aware user–item graphs (Wei et al., WWW 2023, sec. 3.3): per modality m, each
/// user's neighbours N_u^m are the k items of highest cos(f_u^m, f_i^m). The user view averages its
/// neighbours' ID embeddings, e_u^m = Σ_{i∈N_u^m} e_i / k; the item view averages the users that chose
/// the item, e_i^m = Σ_{u: i∈N_u^m} e_u / deg_m(i) (zero for an item nobody chose).
/// </summary>
/// <remarks>
/// <para>Every user has exactly k neighbours, so a graph is never empty (k ≥ 1; the official
/// m_topk_rate gives k = 0 on a few thousand items and collects edges only at batch 0 with T = 1).
/// Rebuilt from all users' relation scores every T batches under no_grad, in chunks of users so the
/// dense scores never exceed chunk × I; the first graphs are built at construction from the initial
/// projections.</para>
/// <para>The graphs are state outside the modules (up to T − 1 batches older than the projections), so
/// the method checkpoints the neighbour lists through TrainingGraph.States (<see cref="Save"/>,
/// <see cref="Restore"/>): a run resumed mid-epoch continues with the very graphs it stopped with.</para>
/// <para>The neighbours are ranked on the raw cosine, known items included: they are the items the
/// modality says are closest, whether or not the user has met them.</para>
/// </remarks>
public sealed class ModalityGraphs : IDisposable
{
    private const int Chunk = 1024;
    private readonly Tensor?[] _userSide, _itemSide;
    private readonly long[]?[] _neighbours;
    private long _users, _items;
    private Device _device = CPU;

    public ModalityGraphs(int modalities, int topK)
    {
        TopK = topK;
        _userSide = new Tensor?[modalities];
        _itemSide = new Tensor?[modalities];
        _neighbours = new long[]?[modalities];
    }

    public int TopK { get; }

    /// <summary>How many times the graphs have been built.</summary>
    public int Builds { get; private set; }

    /// <summary>The users × items neighbour graph of modality <paramref name="m"/> (values 1/k).</summary>
    public Tensor UserSide(int m) => _userSide[m] ?? throw new InvalidOperationException("the modality graphs have not been built");

    /// <summary>The items × users transposed graph of modality <paramref name="m"/> (values 1/deg).</summary>
    public Tensor ItemSide(int m) => _itemSide[m] ?? throw new InvalidOperationException("the modality graphs have not been built");

    /// <summary>Rebuilds every modality's graph from (f_u^m, f_i^m).</summary>
    public void Rebuild((Tensor Users, Tensor Items)[] features)
    {
        using var noGrad = no_grad();
        for (int m = 0; m < features.Length; m++)
        {
            var (users, items) = features[m];
            long userCount = users.shape[0], itemCount = items.shape[0];
            int k = (int)Math.Min(TopK, itemCount);
            var neighbours = new long[userCount * k];
            using (var scope = NewDisposeScope())
            {
                var itemsNormal = nn.functional.normalize(items, p: 2, dim: 1);
                for (long start = 0; start < userCount; start += Chunk)
                {
                    long stop = Math.Min(userCount, start + Chunk);
                    var scores = nn.functional.normalize(users.narrow(0, start, stop - start), p: 2, dim: 1).mm(itemsNormal.t());
                    var top = scores.topk(k, dim: 1).indexes.contiguous().cpu().data<long>().ToArray();
                    Array.Copy(top, 0, neighbours, start * k, top.Length);
                }
            }
            Replace(m, neighbours, userCount, itemCount, k, users.device);
        }
        Builds++;
    }

    /// <summary>The graphs as text: per modality the users × k neighbour lists (JSON).</summary>
    public string Save() => JsonSerializer.Serialize(new SavedGraphs(_users, _items, Builds, _neighbours.Select(n => n ?? []).ToArray()));

    /// <summary>Puts back the graphs <see cref="Save"/> wrote (on the device of the last build).</summary>
    public void Restore(string text)
    {
        var saved = JsonSerializer.Deserialize<SavedGraphs>(text) ?? throw new FormatException("modality graphs: empty state");
        if (saved.Neighbours.Length != _neighbours.Length)
            throw new FormatException($"modality graphs: the state has {saved.Neighbours.Length} modalities, this model {_neighbours.Length}");
        for (int m = 0; m < saved.Neighbours.Length; m++)
        {
            var n = saved.Neighbours[m];
            if (saved.Users == 0 || n.LongLength != saved.Users * Math.Min(TopK, saved.Items))
                throw new FormatException($"modality graphs: modality {m} has {n.LongLength} neighbours, expected {saved.Users} users × k {Math.Min(TopK, saved.Items)}");
            Replace(m, n, saved.Users, saved.Items, (int)Math.Min(TopK, saved.Items), _device);
        }
        Builds = saved.Builds;
    }

    private sealed record SavedGraphs(long Users, long Items, int Builds, long[][] Neighbours);

    private void Replace(int m, long[] neighbours, long users, long items, int k, Device device)
    {
        _neighbours[m] = neighbours;
        (_users, _items, _device) = (users, items, device);
        var degree = new int[items];
        foreach (var i in neighbours) degree[i]++;
        long edges = neighbours.LongLength;
        var userIndex = new long[2 * edges];
        var itemIndex = new long[2 * edges];
        var userValues = new float[edges];
        var itemValues = new float[edges];
        for (long e = 0; e < edges; e++)
        {
            long u = e / k, i = neighbours[e];
            userIndex[e] = u; userIndex[edges + e] = i; userValues[e] = 1f / k;
            itemIndex[e] = i; itemIndex[edges + e] = u; itemValues[e] = 1f / degree[i];
        }
        _userSide[m]?.Dispose();
        _itemSide[m]?.Dispose();
        _userSide[m] = Sparse(userIndex, userValues, users, items, device);
        _itemSide[m] = Sparse(itemIndex, itemValues, items, users, device);
    }

    private static Tensor Sparse(long[] index, float[] values, long rows, long columns, Device device)
    {
        using var i = tensor(index, [2, values.LongLength]);
        using var v = tensor(values);
        // Item-side entries are not in row order; sum-merging in matmul does not need coalesced input.
        using var sparse = sparse_coo_tensor(i, v, [rows, columns]);
        return sparse.to(device).DetachFromDisposeScope();
    }

    public void Dispose()
    {
        foreach (var t in _userSide) t?.Dispose();
        foreach (var t in _itemSide) t?.Dispose();
    }
}
