using Untangle.Contracts.Data;

namespace Untangle.Host.Data.Protocols;

/// <summary>
/// Interactions after a protocol's filters, in their own user and item index spaces, with the maps
/// back to the data set's indices (identity maps when nothing was removed), and what each filter left
/// (<see cref="Split.Filters"/>).
/// </summary>
internal sealed record FilteredInteractions(Interactions Matrix, int[] UserToDataset, int[] ItemToDataset)
{
    public IReadOnlyList<FilterStep> Steps { get; init; } = [];

    public static FilteredInteractions Unfiltered(Interactions m) =>
        new(m, Enumerable.Range(0, m.Rows).ToArray(), Enumerable.Range(0, m.ColumnCount).ToArray());
}
