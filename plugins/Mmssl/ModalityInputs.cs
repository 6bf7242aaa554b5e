using Untangle.Contracts.Data;
using static TorchSharp.torch;

namespace Untangle.Plugins.Mmssl;

/// <summary>The item modalities MMSSL reads from the data set, in split item order.</summary>
public static class ModalityInputs
{
    /// <summary>
    /// The feature matrices named in <paramref name="modalities"/> (comma-separated; empty: all, by name),
    /// as items × F tensors whose row j is split item j (Split.ItemToDataset). Fails with the names there
    /// are when one is missing or when the data set has none.
    /// </summary>
    public static (IReadOnlyList<string> Names, Tensor[] Features) Read(Dataset dataset, Split split, string modalities, Device device)
    {
        var available = dataset.ItemFeatures.Keys.Order(StringComparer.Ordinal).ToList();
        var names = modalities.Trim().Length == 0
            ? available
            : modalities.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToList();
        if (names.Count == 0)
            throw new ArgumentException($"mmssl: data set '{dataset.Name}' has no item features (ItemFeatures); use a reader that provides modalities (synthetic, mmrec) or derive them with the features verb");
        foreach (var name in names)
            if (!dataset.ItemFeatures.ContainsKey(name))
                throw new ArgumentException($"hyper.modalities: data set '{dataset.Name}' has no item features '{name}'; it has: {(available.Count == 0 ? "none" : string.Join(", ", available))}");

        var tensors = new Tensor[names.Count];
        for (int m = 0; m < names.Count; m++)
        {
            var matrix = dataset.ItemFeatures[names[m]];
            if (matrix.Rows != dataset.ItemCount)
                throw new ArgumentException($"item features '{names[m]}' have {matrix.Rows} rows but data set '{dataset.Name}' has {dataset.ItemCount} items");
            var data = new float[(long)split.ItemCount * matrix.Columns];
            for (int j = 0; j < split.ItemCount; j++)
                matrix.Row(split.ItemToDataset[j]).CopyTo(data.AsSpan(j * matrix.Columns, matrix.Columns));
            using var cpu = tensor(data, [split.ItemCount, matrix.Columns]);
            tensors[m] = cpu.to(device).DetachFromDisposeScope();
        }
        return (names, tensors);
    }
}
