using TorchSharp;
using TorchSharp.Modules;
using Untangle.Contracts.Training;
using static TorchSharp.torch;

namespace Untangle.Plugins.Foundation;

/// <summary>
/// One embedding row per user and per item: the whole model of BPR-MF (Rendle et al., UAI 2009) and
/// the ego (layer-0) embeddings E⁽⁰⁾ of LightGCN (He et al., SIGIR 2020, sec. 3.1.3).
/// </summary>
/// <remarks>
/// Initialised N(0, std²) with std = 0.1, as LightGCN's reference code
/// (<c>nn.init.normal_(self.embedding_user.weight, std=0.1)</c>). RecBole's BPR uses Xavier-normal
/// instead; both methods here use the same draw so that comparing them isolates propagation.
/// The draw comes from a CPU generator seeded from the run's random source, so a seed gives the
/// same initial embeddings on every device.
/// </remarks>
public sealed class UserItemEmbeddings : nn.Module
{
    // Field names are the checkpoint keys; renaming one breaks loading old checkpoints.
    // Not readonly: moving the module between devices replaces the fields.
    private Parameter user_embedding;
    private Parameter item_embedding;

    public UserItemEmbeddings(int users, int items, int size, double std, Random random, Device device)
        : this(users, items, size, random, device, (rows, generator) =>
        {
            using var draw = randn([rows, size], generator: generator);
            return draw.mul(std);
        })
    {
    }

    private UserItemEmbeddings(int users, int items, int size, Random random, Device device, Func<long, Generator, Tensor> draw)
        : base(nameof(UserItemEmbeddings))
    {
        using var generator = new torch.Generator((ulong)random.NextInt64(), CPU);
        user_embedding = Place(draw(users, generator), device);
        item_embedding = Place(draw(items, generator), device);
        RegisterComponents();
        UserRows = new RowTable(() => user_embedding);
        ItemRows = new RowTable(() => item_embedding);
    }

    /// <summary>
    /// Glorot/Xavier-uniform tables, U(−a, a) with a = √(6 / (rows + d)) for each table on its own,
    /// as TensorFlow's <c>xavier_initializer()</c> draws the official DGCF and NGCF embeddings.
    /// </summary>
    public static UserItemEmbeddings XavierUniform(int users, int items, int size, Random random, Device device) =>
        new(users, items, size, random, device, (rows, generator) =>
        {
            double limit = Math.Sqrt(6.0 / (rows + size));
            using var unit = rand([rows, size], generator: generator);
            using var wide = unit.mul(2 * limit);
            return wide.sub(limit);
        });

    public long UserCount => user_embedding.shape[0];
    public long ItemCount => item_embedding.shape[0];

    /// <summary>The users × d table (the parameter itself).</summary>
    public Tensor UserTable => user_embedding;

    /// <summary>The items × d table (the parameter itself).</summary>
    public Tensor ItemTable => item_embedding;

    /// <summary>The user table as read by row: list it in a step's Tables for <c>train.row_updates</c> to apply.</summary>
    public RowTable UserRows { get; }

    /// <summary>The item table as read by row.</summary>
    public RowTable ItemRows { get; }

    /// <summary>Both tables, for <see cref="OptimizationStep.Tables"/> of a step that reads them only by row.</summary>
    public IReadOnlyList<RowTable> Tables => [UserRows, ItemRows];

    /// <summary>Rows of the user table for int64 <paramref name="users"/>.</summary>
    public Tensor Users(Tensor users) => UserRows.Select(users);

    /// <summary>Rows of the item table for int64 <paramref name="items"/>.</summary>
    public Tensor Items(Tensor items) => ItemRows.Select(items);

    /// <summary>Users then items, (U+I) × d: the node order of <see cref="NormalizedBipartiteGraph"/>.</summary>
    public Tensor All() => cat([user_embedding, item_embedding], 0);

    private static Parameter Place(Tensor drawn, Device device)
    {
        using var scaled = drawn;
        using var placed = scaled.to(device);
        // The parameter takes over the handle; it must outlive any dispose scope Build runs in.
        var parameter = new Parameter(placed);
        parameter.DetachFromDisposeScope();
        return parameter;
    }
}
