using System.Text.Json;
using TorchSharp;
using static TorchSharp.torch;
using Untangle.Contracts.Training;

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
    private readonly Tensor?[] _neighbours;
    private long _users, _items;
    private Device _device = CPU;

    public ModalityGraphs(int modalities, int topK)
    {
        TopK = topK;
        _userSide = new Tensor?[modalities];
        _itemSide = new Tensor?[modalities];
        _neighbours = new Tensor?[modalities];
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
            using var scope = NewDisposeScope();
            var itemsNormal = nn.functional.normalize(items, p: 2, dim: 1);
            var chunks = new List<Tensor>();
            for (long start = 0; start < userCount; start += Chunk)
            {
                long stop = Math.Min(userCount, start + Chunk);
                var scores = nn.functional.normalize(users.narrow(0, start, stop - start), p: 2, dim: 1).mm(itemsNormal.t());
                chunks.Add(scores.topk(k, dim: 1).indexes);
            }
            Replace(m, cat(chunks, 0), itemCount);
        }
        Builds++;
    }

    /// <summary>
    /// The share of items that some user has among its k neighbours in modality <paramref name="m"/>
    /// (1: every item is reachable; near k/I: every user picked the same hub items).
    /// </summary>
    public double Coverage(int m)
    {
        var n = _neighbours[m] ?? throw new InvalidOperationException("the modality graphs have not been built");
        using var scope = NewDisposeScope();
        return n.reshape(-1).bincount(null, _items).gt(HeldScalars.Zero).sum().item<long>() / (double)_items;
    }

    /// <summary>The graphs as text: per modality the users × k neighbour lists (JSON).</summary>
    public string Save() => JsonSerializer.Serialize(new SavedGraphs(_users, _items, Builds,
        _neighbours.Select(n => n is null ? [] : n.cpu().contiguous().data<long>().ToArray()).ToArray()));

    /// <summary>Puts back the graphs <see cref="Save"/> wrote (on the device of the last build).</summary>
    public void Restore(string text)
    {
        var saved = JsonSerializer.Deserialize<SavedGraphs>(text) ?? throw new FormatException("modality graphs: empty state");
        if (saved.Neighbours.Length != _neighbours.Length)
            throw new FormatException($"modality graphs: the state has {saved.Neighbours.Length} modalities, this model {_neighbours.Length}");
        long k = Math.Min(TopK, saved.Items);
        for (int m = 0; m < saved.Neighbours.Length; m++)
        {
            var n = saved.Neighbours[m];
            if (saved.Users == 0 || n.LongLength != saved.Users * k)
                throw new FormatException($"modality graphs: modality {m} has {n.LongLength} neighbours, expected {saved.Users} users × k {k}");
            using var scope = NewDisposeScope();
            Replace(m, tensor(n, [saved.Users, k]).to(_device), saved.Items);
        }
        Builds = saved.Builds;
    }

    private sealed record SavedGraphs(long Users, long Items, int Builds, long[][] Neighbours);

    /// <summary>
    /// Both sides of modality <paramref name="m"/> from its users × k neighbour indices, built with torch
    /// ops (no users × k managed arrays per rebuild: fewer collections, see <see cref="HeldScalars"/>).
    /// </summary>
    private void Replace(int m, Tensor neighbours, long items)
    {
        long users = neighbours.shape[0], k = neighbours.shape[1];
        var device = neighbours.device;
        var chosen = neighbours.reshape(-1);
        var user = arange(users, dtype: ScalarType.Int64, device: device).repeat_interleave(k);
        using var inverseK = (1.0 / k).ToScalar();
        var userValues = ones(chosen.shape[0], device: device).mul(inverseK);
        // Item side: the users that chose item i, each 1/deg(i).
        var degree = chosen.bincount(null, items).to_type(ScalarType.Float32);
        var itemValues = degree.index_select(0, chosen).reciprocal();
        var userSide = Sparse(stack([user, chosen]), userValues, users, items);
        var itemSide = Sparse(stack([chosen, user]), itemValues, items, users);
        _userSide[m]?.Dispose();
        _itemSide[m]?.Dispose();
        _neighbours[m]?.Dispose();
        _userSide[m] = userSide;
        _itemSide[m] = itemSide;
        _neighbours[m] = neighbours.contiguous().DetachFromDisposeScope();
        (_users, _items, _device) = (users, items, device);
    }

    private static Tensor Sparse(Tensor index, Tensor values, long rows, long columns) =>
        // Item-side entries are not in row order; sum-merging in matmul does not need coalesced input.
        sparse_coo_tensor(index, values, [rows, columns]).DetachFromDisposeScope();

    public void Dispose()
    {
        foreach (var t in _userSide) t?.Dispose();
        foreach (var t in _itemSide) t?.Dispose();
        foreach (var t in _neighbours) t?.Dispose();
    }
}
