using static TorchSharp.torch;

namespace Untangle.Plugins.DisenGraph;

/// <summary>
/// The users and items DGCF's independence loss is measured on at each step (official
/// <c>sample_cor_samples</c>): m of each, drawn without replacement, m = ⌊max(U, I) / n_batch⌋ with
/// n_batch = ⌊n_train / batch⌋ + 1, at least 2 (a distance correlation needs two rows) and at most
/// the smaller of U and I.
/// </summary>
/// <remarks>
/// A partial Fisher–Yates shuffle of 0..n−1, refilled before every draw, so the draw depends only on
/// the run's random source (checkpointed by the engine) and a resumed run draws the same rows.
/// </remarks>
public sealed class IndependenceBatch
{
    private readonly int[] _users, _items;
    private readonly Random _random;
    private readonly Device _device;

    public IndependenceBatch(int users, int items, int trainInteractions, int batchSize, Random random, Device device)
    {
        long batches = trainInteractions / batchSize + 1;
        int cap = Math.Min(users, items);
        Size = (int)Math.Min(Math.Max(Math.Max(users, items) / batches, 2), cap);
        _users = new int[users];
        _items = new int[items];
        _random = random;
        _device = device;
    }

    /// <summary>m, rows of each side per step.</summary>
    public int Size { get; }

    public (Tensor Users, Tensor Items) Draw() => (Sample(_users), Sample(_items));

    private Tensor Sample(int[] pool)
    {
        for (int i = 0; i < pool.Length; i++) pool[i] = i;
        var chosen = new long[Size];
        for (int i = 0; i < Size; i++)
        {
            int j = _random.Next(i, pool.Length);
            (pool[i], pool[j]) = (pool[j], pool[i]);
            chosen[i] = pool[i];
        }
        return tensor(chosen, device: _device);
    }
}
