using static TorchSharp.torch;

namespace Untangle.Contracts.Analysis;

/// <summary>
/// Does a learned soft assignment of rows to K channels recover the rows' true categories? Each row's
/// channel is the argmax of its assignment; NMI and ARI compare those channels with the categories,
/// beside the same for a uniformly random assignment to K channels (seeded), the chance baseline.
/// </summary>
/// <remarks>
/// Used for MacridVAE's macro disentanglement (Ma et al., NeurIPS 2019, sec. 4.3: items → concepts
/// against item categories) and for DGCF's and DisenGCN's routing (Wang et al., SIGIR 2020, sec. 5.4:
/// each user–item edge's dominant intent against the item's category). The key names say what the
/// rows and channels are ("items" and "concepts" for MacridVAE, "edges" and "intents" for DGCF), so
/// metrics.json reads in each paper's words.
/// </remarks>
public static class CategoryRecovery
{
    /// <param name="assignment">Rows × K channel weights (evaluation mode).</param>
    /// <param name="categories">True category per row, -1 where the row has none (left out and counted).</param>
    /// <param name="seed">Seed of the random baseline.</param>
    /// <param name="rows">What a row is, for the key names (items_measured, edges_measured, ...).</param>
    /// <param name="channels">What a channel is, for the key names (concepts, concepts_used, ...).</param>
    public static IReadOnlyDictionary<string, double> Measure(Tensor assignment, int[] categories, int seed,
        string rows = "items", string channels = "concepts")
    {
        if (assignment.shape[0] != categories.Length)
            throw new ArgumentException($"the assignment has {assignment.shape[0]} {rows} but {categories.Length} categories were given");
        int k = (int)assignment.shape[1];
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
        var chance = truth.Select(_ => random.Next(k)).ToList();
        bool none = truth.Count == 0;
        return new Dictionary<string, double>
        {
            ["nmi"] = none ? double.NaN : ClusteringAgreement.NormalizedMutualInformation(learned, truth),
            ["ari"] = none ? double.NaN : ClusteringAgreement.AdjustedRandIndex(learned, truth),
            ["random_nmi"] = none ? double.NaN : ClusteringAgreement.NormalizedMutualInformation(chance, truth),
            ["random_ari"] = none ? double.NaN : ClusteringAgreement.AdjustedRandIndex(chance, truth),
            [channels] = k,
            [$"{channels}_used"] = learned.Distinct().Count(),
            ["categories"] = truth.Distinct().Count(),
            [$"{rows}_measured"] = truth.Count,
            [$"{rows}_without_category"] = categories.Length - truth.Count,
        };
    }
}
