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
        var names = SplitItemFeatures.Names(dataset, modalities, "hyper.modalities");
        if (names.Count < 2)
            throw new ArgumentException($"hyper.modalities: dcid needs at least two item modalities, got {SplitItemFeatures.Describe(names.ToList())} (data set '{dataset.Name}' has: {SplitItemFeatures.Describe(SplitItemFeatures.Available(dataset))}); on MovieLens add text features with --set dataset.features=DIR after `features lightgcn-ml100k --out DIR`");
        var tensors = names.Select(name => SplitItemFeatures.Tensor(dataset, split, name, "hyper.modalities", device)).ToArray();
        var rows = names.Select(name => SplitItemFeatures.Rows(dataset, split, name, "hyper.modalities")).ToArray();
        return (names, tensors, rows);
    }
}
