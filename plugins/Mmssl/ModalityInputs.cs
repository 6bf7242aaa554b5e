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
        if (dataset.ItemFeatures.Count == 0)
            throw new ArgumentException($"mmssl: data set '{dataset.Name}' has no item features (ItemFeatures); use a reader that provides modalities (synthetic, mmrec) or derive them with the features verb");
        var names = SplitItemFeatures.Names(dataset, modalities, "hyper.modalities");
        var tensors = names.Select(name => SplitItemFeatures.Tensor(dataset, split, name, "hyper.modalities", device)).ToArray();
        return (names, tensors);
    }
}
