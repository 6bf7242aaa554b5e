using static TorchSharp.torch;

namespace Untangle.Contracts.Training;

/// <summary>Whose representation it is.</summary>
public enum RepresentationOf { Users, Items }

/// <summary>A named group of columns of a representation (MacridVAE's per-concept block z_k).</summary>
public sealed record CodeBlock(string Name, int Start, int Length);

/// <summary>
/// A representation a trained method hands out, so analyses that know nothing of the method (the
/// disentanglement lab, steering) can read it: users' codes for a batch of users with their known
/// items (the same batches the scorer gets: training users by index, held-out users from their
/// fold-in items), or every item's code. Computed in eval mode under no_grad on the best model.
/// </summary>
public sealed record Representation
{
    /// <summary>The name metrics.json keys use ("users", "items").</summary>
    public required string Name { get; init; }
    public required RepresentationOf Of { get; init; }
    /// <summary>One line: what the code is (e.g. "μ of q(z|x), 200 dims").</summary>
    public required string Doc { get; init; }
    /// <summary>Columns that belong together, in order; empty when the code has no block structure.</summary>
    public IReadOnlyList<CodeBlock> Blocks { get; init; } = [];
    /// <summary>Users only: whether users the model never trained on (index −1) can be encoded from their known items.</summary>
    public bool FoldsIn { get; init; }

    /// <summary>
    /// Users only, optional: the decoder from this code to the scores over the split's items
    /// (<see cref="DecoderOp"/>s applied in order), read on the best model. A representation with a
    /// decoder can be steered: a user's code is moved along an axis and the list re-ranked.
    /// </summary>
    public Func<IReadOnlyList<DecoderOp>>? Decoder { get; init; }

    /// <summary>Users only, optional: the method's own axes in this code space (MacridVAE's concept directions).</summary>
    public Func<IReadOnlyList<CodeAxis>>? NativeAxes { get; init; }

    private Func<ScoringBatch, Tensor>? _users;
    private Func<Tensor>? _items;

    /// <summary>batch × dims codes for the batch's users.</summary>
    public Tensor EncodeUsers(ScoringBatch batch) =>
        (_users ?? throw new InvalidOperationException($"representation '{Name}' is of items, not users"))(batch);

    /// <summary>items × dims codes for every item of the split.</summary>
    public Tensor EncodeItems() =>
        (_items ?? throw new InvalidOperationException($"representation '{Name}' is of users, not items"))();

    public static Representation Users(string name, string doc, bool foldsIn, Func<ScoringBatch, Tensor> encode, IReadOnlyList<CodeBlock>? blocks = null) =>
        new() { Name = name, Of = RepresentationOf.Users, Doc = doc, FoldsIn = foldsIn, Blocks = blocks ?? [], _users = encode };

    public static Representation Items(string name, string doc, Func<Tensor> encode, IReadOnlyList<CodeBlock>? blocks = null) =>
        new() { Name = name, Of = RepresentationOf.Items, Doc = doc, Blocks = blocks ?? [], _items = encode };
}
