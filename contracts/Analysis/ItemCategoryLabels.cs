using Untangle.Contracts.Data;

namespace Untangle.Contracts.Analysis;

/// <summary>
/// The true category of each split item for the disentanglement analysis: the item's first category
/// in the data set (split item → data-set item by <see cref="Split.ItemToDataset"/>), or -1 for an
/// item without one (left out of the measurement and counted).
/// </summary>
public static class ItemCategoryLabels
{
    public static int[] Of(ItemCategories categories, int[] itemToDataset) =>
        itemToDataset.Select(item => item < categories.Of.Length && categories.Of[item] is { Length: > 0 } of ? of[0] : -1).ToArray();
}
