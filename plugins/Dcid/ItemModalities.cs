using Untangle.Contracts.Data;
using static TorchSharp.torch;

namespace Untangle.Plugins.Dcid;

/// <summary>The item modalities DCID reads from the data set, in split item order.</summary>
public static class ItemModalities
{
    /// <summary>
    /// The feature matrices named in <paramref name="modalities"/> (comma-separated; empty: all, by name),
    /// as items × F tensors whose row j is split item j (Split.ItemToDataset), and the same rows as arrays
    /// (for the raw-feature analyses). Fails with the names there are when one is missing or fewer than two
    /// are given (DCID contrasts modalities).
    /// </summary>
    public static (IReadOnlyList<string> Names, Tensor[] Features, float[][][] Rows) Read(Dataset dataset, Split split, string modalities, Device device)
    {
        var available = dataset.ItemFeatures.Keys.Order(StringComparer.Ordinal).ToList();
        var names = modalities.Trim().Length == 0
            ? available
            : modalities.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToList();
        foreach (var name in names)
            if (!dataset.ItemFeatures.ContainsKey(name))
                throw new ArgumentException($"hyper.modalities: data set '{dataset.Name}' has no item features '{name}'; it has: {(available.Count == 0 ? "none" : string.Join(", ", available))}");
        if (names.Count < 2)
            throw new ArgumentException($"hyper.modalities: dcid needs at least two item modalities, got {(names.Count == 0 ? "none" : string.Join(", ", names))} (data set '{dataset.Name}' has: {(available.Count == 0 ? "none" : string.Join(", ", available))}); on MovieLens add text features with --set dataset.features=DIR after `features lightgcn-ml100k --out DIR`");

        var tensors = new Tensor[names.Count];
        var rows = new float[names.Count][][];
        for (int m = 0; m < names.Count; m++)
        {
            var matrix = dataset.ItemFeatures[names[m]];
            if (matrix.Rows != dataset.ItemCount)
                throw new ArgumentException($"item features '{names[m]}' have {matrix.Rows} rows but data set '{dataset.Name}' has {dataset.ItemCount} items");
            rows[m] = new float[split.ItemCount][];
            var data = new float[(long)split.ItemCount * matrix.Columns];
            for (int j = 0; j < split.ItemCount; j++)
            {
                rows[m][j] = matrix.Row(split.ItemToDataset[j]).ToArray();
                rows[m][j].CopyTo(data.AsSpan(j * matrix.Columns, matrix.Columns));
            }
            using var cpu = tensor(data, [split.ItemCount, matrix.Columns]);
            tensors[m] = cpu.to(device).DetachFromDisposeScope();
        }
        return (names, tensors, rows);
    }
}
