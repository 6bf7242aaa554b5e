using static TorchSharp.torch;

namespace Untangle.Contracts.Data;

/// <summary>
/// Item modality features (<see cref="Dataset.ItemFeatures"/>) in a split's item order: row j belongs to
/// split item j (<see cref="Split.ItemToDataset"/>). What multimodal methods feed their encoders.
/// </summary>
public static class SplitItemFeatures
{
    /// <summary>
    /// The modality names in <paramref name="list"/> (comma-separated; empty: every feature matrix the data set
    /// has, by name). A name the data set lacks fails naming <paramref name="key"/> and the names it has.
    /// </summary>
    public static IReadOnlyList<string> Names(Dataset dataset, string list, string key)
    {
        var names = list.Trim().Length == 0
            ? Available(dataset)
            : list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToList();
        foreach (var name in names) Matrix(dataset, name, key);
        return names;
    }

    /// <summary>The data set's feature matrix <paramref name="name"/>; fails naming <paramref name="key"/> and the names there are.</summary>
    public static FeatureMatrix Matrix(Dataset dataset, string name, string key)
    {
        if (!dataset.ItemFeatures.TryGetValue(name, out var matrix))
            throw new ArgumentException(
                $"{key}: data set '{dataset.Name}' has no item features '{name}'; it has: {Describe(Available(dataset))} " +
                "(MovieLens: 'genre', and 'text' once dataset.features names a folder written by the features verb)");
        if (matrix.Rows != dataset.ItemCount)
            throw new ArgumentException($"item features '{name}' have {matrix.Rows} rows but data set '{dataset.Name}' has {dataset.ItemCount} items");
        return matrix;
    }

    /// <summary>The rows of modality <paramref name="name"/> in split item order, as arrays (for analyses on raw features).</summary>
    public static float[][] Rows(Dataset dataset, Split split, string name, string key)
    {
        var matrix = Matrix(dataset, name, key);
        return Enumerable.Range(0, split.ItemCount).Select(j => matrix.Row(split.ItemToDataset[j]).ToArray()).ToArray();
    }

    /// <summary>Modality <paramref name="name"/> as a split items × F tensor on <paramref name="device"/>, outside any dispose scope.</summary>
    public static Tensor Tensor(Dataset dataset, Split split, string name, string key, Device device)
    {
        var matrix = Matrix(dataset, name, key);
        var data = new float[(long)split.ItemCount * matrix.Columns];
        for (int j = 0; j < split.ItemCount; j++)
            matrix.Row(split.ItemToDataset[j]).CopyTo(data.AsSpan(j * matrix.Columns, matrix.Columns));
        using var cpu = tensor(data, [split.ItemCount, matrix.Columns]);
        return cpu.to(device).DetachFromDisposeScope();
    }

    /// <summary>The names of the data set's feature matrices, ordered.</summary>
    public static List<string> Available(Dataset dataset) => dataset.ItemFeatures.Keys.Order(StringComparer.Ordinal).ToList();

    /// <summary>"a, b" or "none", for messages.</summary>
    public static string Describe(IReadOnlyCollection<string> names) => names.Count == 0 ? "none" : string.Join(", ", names);
}
