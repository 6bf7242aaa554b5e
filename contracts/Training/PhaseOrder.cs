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

    public static CheckpointedState State(string name, long[] order) => new(name,
        () => JsonSerializer.Serialize(order),
        text => Restore(name, order, JsonSerializer.Deserialize<long[]>(text)));

    private static void Restore<T>(string name, T[] order, T[]? saved)
    {
        if (saved is null || saved.Length != order.Length)
            throw new InvalidDataException($"{name}: {saved?.Length ?? 0} rows saved, this phase orders {order.Length}");
        saved.CopyTo(order, 0);
    }
}
