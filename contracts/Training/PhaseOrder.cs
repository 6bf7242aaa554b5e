using System.Text.Json;

namespace Untangle.Contracts.Training;

/// <summary>
/// A phase's row order that the method shuffles in place each epoch (as the official loops do, each
/// epoch shuffling the last one's order): as <see cref="CheckpointedState"/>, so a phase resumed at
/// epoch e shuffles the order the uninterrupted phase had there.
/// </summary>
public static class PhaseOrder
{
    public static CheckpointedState State(string name, int[] order) => new(name,
        () => JsonSerializer.Serialize(order),
        text => Restore(name, order, JsonSerializer.Deserialize<int[]>(text)));

    /// <summary>
    /// One epoch's batches: <paramref name="order"/> shuffled in place by <paramref name="random"/>, then
    /// cut into runs of <paramref name="batchSize"/>; a batch with fewer than <paramref name="minimumRows"/>
    /// rows (a last one of one item, where in-batch negatives need two) is left out.
    /// </summary>
    public static IReadOnlyList<long[]> ShuffledBatches(int[] order, Random random, int batchSize, int minimumRows)
    {
        random.Shuffle(order);
        var batches = new List<long[]>();
        for (int start = 0; start < order.Length; start += batchSize)
        {
            int n = Math.Min(batchSize, order.Length - start);
            if (n < minimumRows) continue;
            var batch = new long[n];
            for (int i = 0; i < n; i++) batch[i] = order[start + i];
            batches.Add(batch);
        }
        return batches;
    }

    private static void Restore<T>(string name, T[] order, T[]? saved)
    {
        if (saved is null || saved.Length != order.Length)
            throw new InvalidDataException($"{name}: {saved?.Length ?? 0} rows saved, this phase orders {order.Length}");
        saved.CopyTo(order, 0);
    }
}
