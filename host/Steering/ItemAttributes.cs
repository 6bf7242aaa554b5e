using Untangle.Contracts.Data;
using Untangle.Host.Data.Readers;

namespace Untangle.Host.Steering;

/// <summary>One item attribute steering can aim at: its name ("genre:Comedy", "tag:atmospheric", "category:3") and which of the split's items have it.</summary>
internal sealed record ItemAttribute(string Name, bool[] Has)
{
    public int Items => Has.Count(h => h);
}

/// <summary>
/// The item attributes of a run's data, by split item: the data set's item categories (MovieLens
/// genres from u.item, movies.dat or movies.csv, named "genre:NAME"; other readers' categories and the
/// synthetic generator's true categories, "category:NAME"), and the tags users gave (ml-latest-small's
/// tags.csv, "tag:NAME", compared ignoring case) for tags on at least <c>minTagItems</c> items, since
/// a tag on a handful of items is in almost no history and gives no axis. Also the items' titles.
/// </summary>
internal sealed record ItemAttributes(IReadOnlyList<ItemAttribute> All, string[] Titles)
{
    public const int DefaultMinTagItems = 10;

    public static ItemAttributes Of(Dataset dataset, Split split, int minTagItems = DefaultMinTagItems)
    {
        var toDataset = split.ItemToDataset;
        var attributes = new List<ItemAttribute>();
        if (dataset.ItemCategories is { } categories)
        {
            var prefix = dataset.ItemFeatures.ContainsKey("genre") ? "genre" : "category";
            for (int c = 0; c < categories.Names.Length; c++)
            {
                var has = toDataset.Select(i => categories.Of[i].Contains(c)).ToArray();
                if (has.Any(h => h)) attributes.Add(new ItemAttribute($"{prefix}:{categories.Names[c]}", has));
            }
        }
        if (dataset.Extras.TryGetValue(MovieLensTables.ItemTagsKey, out var value) && value is string[][] tags)
        {
            var byTag = new Dictionary<string, bool[]>(StringComparer.OrdinalIgnoreCase);
            var spelling = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            for (int j = 0; j < toDataset.Length; j++)
                foreach (var tag in tags[toDataset[j]])
                {
                    if (!byTag.TryGetValue(tag, out var has)) byTag[tag] = has = new bool[toDataset.Length];
                    spelling.TryAdd(tag, tag.ToLowerInvariant());
                    has[j] = true;
                }
            foreach (var (tag, has) in byTag.OrderBy(kv => spelling[kv.Key], StringComparer.Ordinal))
                if (has.Count(h => h) >= minTagItems) attributes.Add(new ItemAttribute($"tag:{spelling[tag]}", has));
        }
        var titles = dataset.Extras.TryGetValue("item_titles", out var t) && t is string[] names
            ? toDataset.Select(i => names[i]).ToArray()
            : toDataset.Select(i => dataset.ItemIds[i]).ToArray();
        return new ItemAttributes(attributes, titles);
    }

    /// <summary>Per attribute, the share of <paramref name="items"/> (split indices) that have it.</summary>
    public double[] Shares(IReadOnlyList<int> items)
    {
        var shares = new double[All.Count];
        if (items.Count == 0) return shares;
        for (int a = 0; a < All.Count; a++)
        {
            int n = 0;
            foreach (var i in items) if (All[a].Has[i]) n++;
            shares[a] = (double)n / items.Count;
        }
        return shares;
    }
}
