namespace Untangle.Contracts.Data;

/// <summary>
/// What a protocol produces: the training matrix in the split's own user and item index spaces,
/// and the validation and test evaluation sets. <see cref="UserToDataset"/> and
/// <see cref="ItemToDataset"/> map the split's indices back to the data set's (strong
/// generalization re-indexes both).
/// </summary>
public sealed class Split
{
    public required string Protocol { get; init; }
    /// <summary>Training users × split items.</summary>
    public required Interactions Train { get; init; }
    public required EvaluationSet Validation { get; init; }
    public required EvaluationSet Test { get; init; }
    /// <summary>Split user index (training user space) → data-set user index.</summary>
    public required int[] UserToDataset { get; init; }
    /// <summary>Split item index → data-set item index.</summary>
    public required int[] ItemToDataset { get; init; }

    /// <summary>True when evaluation users are not training users (strong generalization): only methods that fold in a history can score them.</summary>
    public bool HeldOutUsers { get; init; }

    public int UserCount => Train.Rows;
    public int ItemCount => Train.ColumnCount;
}

/// <summary>
/// Users to evaluate: for each, the items the scorer may use and that are masked in the ranking
/// (<see cref="Known"/>: training items, or fold-in items for held-out users) and the targets.
/// Rows of <see cref="Known"/> and <see cref="Targets"/> align with <see cref="Users"/>.
/// </summary>
public sealed class EvaluationSet
{
    public required string Name { get; init; }
    /// <summary>Training-space user index per row, or -1 for a user the model never trained on.</summary>
    public required int[] Users { get; init; }
    /// <summary>Data-set user index per row (for side information such as sensitive attributes).</summary>
    public required int[] DatasetUsers { get; init; }
    public required Interactions Known { get; init; }
    public required Interactions Targets { get; init; }

    public int Count => Users.Length;
}
