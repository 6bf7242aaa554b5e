using static TorchSharp.torch;

namespace Untangle.Plugins.MacridVae;

/// <summary>
/// Macro disentanglement (Ma et al., NeurIPS 2019, sec. 4.3, which shows it on AliShop-7C's seven
/// categories): does the learned item → concept assignment recover the true item categories? Each
/// item's concept is argmax_k of the evaluation-time assignment (the softmax); its category is its
/// first category. Reports NMI and ARI between the two, and the same for a uniformly random
/// assignment to the same K concepts (seeded) as the chance baseline.
/// </summary>
public static class MacroDisentanglement
{
    /// <param name="assignment">Items × K concept weights (evaluation mode).</param>
    /// <param name="categories">True category per item, -1 where the item has none.</param>
    /// <param name="seed">Seed of the random baseline.</param>
    public static IReadOnlyDictionary<string, double> Measure(Tensor assignment, int[] categories, int seed)
    {
        if (assignment.shape[0] != categories.Length)
            throw new ArgumentException($"the assignment has {assignment.shape[0]} items but {categories.Length} categories were given");
        int concepts = (int)assignment.shape[1];
        var argmax = assignment.argmax(1).cpu().data<long>().ToArray();
        var learned = new List<int>();
        var truth = new List<int>();
        for (int i = 0; i < categories.Length; i++)
        {
            if (categories[i] < 0) continue;
            learned.Add((int)argmax[i]);
            truth.Add(categories[i]);
        }
        var random = new Random(seed);
        var chance = truth.Select(_ => random.Next(concepts)).ToList();
        return new Dictionary<string, double>
        {
            ["nmi"] = truth.Count == 0 ? double.NaN : ClusteringAgreement.NormalizedMutualInformation(learned, truth),
            ["ari"] = truth.Count == 0 ? double.NaN : ClusteringAgreement.AdjustedRandIndex(learned, truth),
            ["random_nmi"] = truth.Count == 0 ? double.NaN : ClusteringAgreement.NormalizedMutualInformation(chance, truth),
            ["random_ari"] = truth.Count == 0 ? double.NaN : ClusteringAgreement.AdjustedRandIndex(chance, truth),
            ["concepts"] = concepts,
            ["concepts_used"] = learned.Distinct().Count(),
            ["categories"] = truth.Distinct().Count(),
            ["items_measured"] = truth.Count,
            ["items_without_category"] = categories.Length - truth.Count,
        };
    }
}
