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

    /// <summary>
    /// What each of the protocol's filters left, in the order they ran (rating threshold, k-core, ...),
    /// so a split with nothing to train or test on can say which filter emptied it; empty when the
    /// protocol filters nothing or does not report it.
    /// </summary>
    public IReadOnlyList<FilterStep> Filters { get; init; } = [];

    public int UserCount => Train.Rows;
    public int ItemCount => Train.ColumnCount;
}

/// <summary>One filter of a protocol (named as its setting, e.g. "protocol.min_interactions = 5") and the users, items and interactions it left.</summary>
public sealed record FilterStep(string Filter, int Users, int Items, int Interactions)
{
    /// <summary>
    /// Counts the users and items that still have an interaction in <paramref name="left"/>, over
    /// <paramref name="rows"/> only when given (a filter that keeps some users of an unchanged matrix).
    /// </summary>
    public static FilterStep After(string filter, Interactions left, IReadOnlyList<int>? rows = null)
    {
        int users = 0, interactions = 0;
        var items = new bool[left.ColumnCount];
        foreach (var u in rows ?? (IEnumerable<int>)Enumerable.Range(0, left.Rows))
        {
            var row = left.Row(u);
            if (row.Length == 0) continue;
            users++;
            interactions += row.Length;
            foreach (var i in row) items[i] = true;
        }
        return new FilterStep(filter, users, items.Count(x => x), interactions);
    }

    public override string ToString() => $"{Filter}: {Interactions} interactions ({Users} users, {Items} items)";
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
