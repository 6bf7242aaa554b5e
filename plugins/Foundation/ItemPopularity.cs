using Untangle.Contracts.Data;
using static TorchSharp.torch;

namespace Untangle.Plugins.Foundation;

/// <summary>
/// MostPopular's whole model: how many training users interacted with each item, kept as a buffer
/// so the checkpoint holds it like any other model state. Scoring returns that row for every user
/// (the non-personalised baseline of, e.g., Cremonesi et al., RecSys 2010 and He et al., SIGIR 2020).
/// </summary>
public sealed class ItemPopularity : nn.Module<Tensor, Tensor>
{
    // The field name is the checkpoint key.
    private Tensor counts;

    public ItemPopularity(Interactions train, Device device) : base(nameof(ItemPopularity))
    {
        using var onCpu = tensor(Count(train), [train.ColumnCount]);
        counts = onCpu.to(device).DetachFromDisposeScope();
        RegisterComponents();
    }

    /// <summary>The popularity vector (items), the buffer itself.</summary>
    public Tensor Counts => counts;

    /// <summary>Number of users per item in the training matrix (each (user, item) pair counts once).</summary>
    public static float[] Count(Interactions train)
    {
        var result = new float[train.ColumnCount];
        foreach (var item in train.Columns) result[item]++;
        return result;
    }

    /// <summary>The popularity row for each of <paramref name="users"/> (batch × items).</summary>
    /// <remarks>A copy, not an expanded view: the engine masks known items in place.</remarks>
    public override Tensor forward(Tensor users) => counts.unsqueeze(0).expand(users.shape[0], -1).clone();
}
