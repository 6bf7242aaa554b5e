using Untangle.Contracts.Data;

namespace Untangle.Host.Data.Parsing;

/// <summary>Turns per-item category names into <see cref="ItemCategories"/> and a multi-hot feature matrix.</summary>
public static class CategoryCoding
{
    /// <summary>
    /// Codes each item's category names. Names are <paramref name="names"/> in the given order when
    /// supplied (every category must be one of them), otherwise the distinct names in ordinal order.
    /// An item's list keeps its file order, without repeats.
    /// </summary>
    public static ItemCategories Encode(IReadOnlyList<string[]> perItem, IReadOnlyList<string>? names = null)
    {
        var all = names?.ToArray()
            ?? perItem.SelectMany(c => c).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var code = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < all.Length; i++) code[all[i]] = i;
        var of = new int[perItem.Count][];
        for (int item = 0; item < perItem.Count; item++)
            of[item] = perItem[item].Select(n => code.TryGetValue(n, out var c)
                    ? c
                    : throw new ArgumentException($"category '{n}' is not one of {string.Join(", ", all)}"))
                .Distinct().ToArray();
        return new ItemCategories(all, of);
    }

    /// <summary>Items × categories, 1 where the item has the category.</summary>
    public static FeatureMatrix MultiHot(ItemCategories categories)
    {
        int rows = categories.Of.Length, columns = categories.Names.Length;
        var data = new float[rows * columns];
        for (int item = 0; item < rows; item++)
            foreach (var c in categories.Of[item]) data[item * columns + c] = 1f;
        return new FeatureMatrix(rows, columns, data);
    }
}
