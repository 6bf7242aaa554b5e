namespace Untangle.Contracts.Data;

/// <summary>
/// The true item factors behind a data set's modality features, where a generator knows them (the
/// synthetic reader): <see cref="Shared"/> (items × shared_dim) feeds every modality, and
/// <see cref="Specific"/>[modality] (items × specific_dim) feeds only that one. Kept in
/// <c>Dataset.Extras[ExtrasKey]</c> so methods that split modalities into common and specific parts can
/// measure how well each part recovers each kind of factor (dcid-pamd.md, "Ground truth").
/// </summary>
public sealed record ItemFactorTruth(double[][] Shared, IReadOnlyDictionary<string, double[][]> Specific)
{
    public const string ExtrasKey = "truth.item_factors";

    /// <summary>The truth the data set carries, or null (real data sets have none).</summary>
    public static ItemFactorTruth? Of(Dataset dataset) =>
        dataset.Extras.TryGetValue(ExtrasKey, out var value) ? value as ItemFactorTruth : null;
}
