using Microsoft.Extensions.Logging;
using Untangle.Contracts.Analysis;
using Untangle.Contracts.Data;

namespace Untangle.Plugins.Pamd;

/// <summary>
/// The "transfer" analysis (issue 7, DCID's cross-modal generalisation claim applied to PAMD): a
/// multinomial logistic head (<see cref="CategoryTransfer.Accuracy"/>) trained to predict the item's
/// category from one modality's representation, tested on the other modality's representation of
/// held-out items, in both directions:
/// <code>
///   common_&lt;a&gt;_to_&lt;b&gt;    the commons c_a → c_b (aligned by L_sim: should transfer)
///   specific_&lt;a&gt;_to_&lt;b&gt;  the specifics (kept apart: should not)
///   full_&lt;a&gt;_to_&lt;b&gt;      the whole encoder outputs h (undisentangled, in the learned space)
///   raw_&lt;a&gt;_to_&lt;b&gt;       the input features (undisentangled; only when both have the same width)
/// </code>
/// The label is the item's first category (synthetic: its intent; MovieLens: its first genre); items
/// without a category are left out.
/// </summary>
public static class TransferAnalysis
{
    public static IReadOnlyDictionary<string, double> Compute(
        PartsSnapshot snapshot, Dataset dataset, Split split, int seed, ILogger logger, string prefix = "")
    {
        var result = new Dictionary<string, double>();
        if (dataset.ItemCategories is null)
        {
            logger.LogInformation("pamd transfer: skipped, data set '{Dataset}' has no item categories to predict", dataset.Name);
            return result;
        }
        var kept = Enumerable.Range(0, split.ItemCount).Where(j => dataset.ItemCategories.Of[split.ItemToDataset[j]].Length > 0).ToArray();
        var labels = kept.Select(j => dataset.ItemCategories.Of[split.ItemToDataset[j]][0]).ToArray();
        if (labels.Distinct().Count() < 2)
        {
            logger.LogInformation("pamd transfer: skipped, the items carry fewer than two categories");
            return result;
        }
        float[][] Keep(float[][] rows) => kept.Select(j => rows[j]).ToArray();

        foreach (var (a, b) in new[] { (snapshot.V, snapshot.T), (snapshot.T, snapshot.V) })
        {
            void Add(string kind, float[][] source, float[][] target) =>
                result[$"{prefix}{kind}_{a.Name}_to_{b.Name}"] = CategoryTransfer.Accuracy(Keep(source), Keep(target), labels, seed);
            Add("common", a.Common, b.Common);
            Add("specific", a.Specific, b.Specific);
            Add("full", a.Full, b.Full);
            if (a.Raw[0].Length == b.Raw[0].Length) Add("raw", a.Raw, b.Raw);
            else if (prefix.Length == 0)
                logger.LogInformation("pamd transfer: no raw baseline {A} → {B}, the features have different widths ({WidthA} and {WidthB})",
                    a.Name, b.Name, a.Raw[0].Length, b.Raw[0].Length);
        }
        logger.LogInformation("pamd transfer{Prefix} (category accuracy, head trained on one modality, tested on the other): {Values}",
            prefix.Length == 0 ? "" : $" [{prefix.TrimEnd('.')}]",
            string.Join(", ", result.Select(kv => $"{kv.Key} {kv.Value:F3}")));
        return result;
    }
}
