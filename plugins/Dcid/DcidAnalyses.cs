using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using Untangle.Contracts.Analysis;
using Untangle.Contracts.Data;

namespace Untangle.Plugins.Dcid;

/// <summary>
/// What DCID's representation is measured by (issue 7; specs/dcid-pamd.md):
/// <list type="bullet">
///   <item>"disentanglement" — on data with known item factors (<see cref="ItemFactorTruth"/>, the
///   synthetic reader): the held-out linear-probe R² (<see cref="LinearProbe.HeldOutRSquared"/>) of each
///   part of each modality on the true shared factors and on that modality's true specific factors, keys
///   "&lt;m&gt;.r2_common_shared", "&lt;m&gt;.r2_common_specific", "&lt;m&gt;.r2_specific_specific",
///   "&lt;m&gt;.r2_specific_shared". Disentangled: high on the diagonal (common→shared,
///   specific→specific), low off it. The 2 × 2 table per modality goes to the log.</item>
///   <item>"transfer" — DCID's cross-modal generalisation claim: a category head trained on modality A's
///   representation of some items, applied to modality B's of the others
///   (<see cref="CategoryTransfer.Accuracy"/>; label: the item's first category), for the commons
///   ("common_A_to_B"), the codes ("codes_A_to_B"), the undisentangled [common, specific]
///   ("full_A_to_B") and the raw features ("raw_A_to_B", when both modalities have the same width), and
///   within each modality ("common_A_to_A", "raw_A_to_A") for reference.</item>
/// </list>
/// </summary>
public static class DcidAnalyses
{
    public static IReadOnlyDictionary<string, double> Disentanglement(
        Dataset dataset, Split split, IReadOnlyList<string> modalities, ItemRepresentation representation, int seed, ILogger logger)
    {
        var result = new Dictionary<string, double>();
        if (ItemFactorTruth.Of(dataset) is not { } truth)
        {
            logger.LogInformation("dcid: disentanglement analysis skipped: data set '{Dataset}' carries no true item factors (Dataset.Extras[\"{Key}\"]); only the synthetic reader has them",
                dataset.Name, ItemFactorTruth.ExtrasKey);
            return result;
        }
        var shared = InSplitOrder(truth.Shared, split);
        var table = new StringBuilder();
        for (int m = 0; m < modalities.Count; m++)
        {
            string name = modalities[m];
            var common = representation.Commons[m];
            var specificPart = representation.Specifics[m];
            result[$"{name}.r2_common_shared"] = LinearProbe.HeldOutRSquared(common, shared, seed);
            result[$"{name}.r2_specific_shared"] = LinearProbe.HeldOutRSquared(specificPart, shared, seed);
            if (truth.Specific.TryGetValue(name, out var own))
            {
                var specific = InSplitOrder(own, split);
                result[$"{name}.r2_common_specific"] = LinearProbe.HeldOutRSquared(common, specific, seed);
                result[$"{name}.r2_specific_specific"] = LinearProbe.HeldOutRSquared(specificPart, specific, seed);
            }
            else
            {
                logger.LogWarning("dcid: the truth has no specific factors for modality '{Modality}' (it has: {Names}); only its shared-factor R² is reported",
                    name, string.Join(", ", truth.Specific.Keys));
            }
            table.AppendLine(CultureInfo.InvariantCulture, $"{name}: held-out linear-probe R²      true shared   true {name}-specific");
            table.AppendLine(CultureInfo.InvariantCulture, $"  common   Φ_{name,-8}              {result[$"{name}.r2_common_shared"],8:F3}   {Get(result, $"{name}.r2_common_specific")}");
            table.AppendLine(CultureInfo.InvariantCulture, $"  specific Ψ_{name,-8}              {result[$"{name}.r2_specific_shared"],8:F3}   {Get(result, $"{name}.r2_specific_specific")}");
        }
        logger.LogInformation("dcid disentanglement (rows: representation part; columns: true factors)\n{Table}", table.ToString().TrimEnd());
        return result;
    }

    public static IReadOnlyDictionary<string, double> Transfer(
        Dataset dataset, Split split, IReadOnlyList<string> modalities, ItemRepresentation representation, float[][][] raw, int seed, ILogger logger)
    {
        var result = new Dictionary<string, double>();
        if (dataset.ItemCategories is not { } categories)
        {
            logger.LogInformation("dcid: transfer analysis skipped: data set '{Dataset}' has no item categories", dataset.Name);
            return result;
        }
        // Label: the item's first category; items without one are left out.
        var rows = Enumerable.Range(0, split.ItemCount).Where(j => categories.Of[split.ItemToDataset[j]].Length > 0).ToArray();
        var labels = rows.Select(j => categories.Of[split.ItemToDataset[j]][0]).ToArray();
        if (labels.Distinct().Count() < 2)
        {
            logger.LogInformation("dcid: transfer analysis skipped: fewer than two categories among the items");
            return result;
        }
        float[][] Pick(float[][] all) => rows.Select(j => all[j]).ToArray();
        double Accuracy(float[][] a, float[][] b) => CategoryTransfer.Accuracy(Pick(a), Pick(b), labels, seed);

        var lines = new StringBuilder();
        for (int a = 0; a < modalities.Count; a++)
        {
            string from = modalities[a];
            result[$"common_{from}_to_{from}"] = Accuracy(representation.Commons[a], representation.Commons[a]);
            result[$"raw_{from}_to_{from}"] = Accuracy(raw[a], raw[a]);
            for (int b = 0; b < modalities.Count; b++)
            {
                if (a == b) continue;
                string to = modalities[b];
                result[$"common_{from}_to_{to}"] = Accuracy(representation.Commons[a], representation.Commons[b]);
                if (representation.Codes is { } codes) result[$"codes_{from}_to_{to}"] = Accuracy(codes[a], codes[b]);
                result[$"full_{from}_to_{to}"] = Accuracy(representation.Full(a), representation.Full(b));
                if (raw[a][0].Length == raw[b][0].Length)
                    result[$"raw_{from}_to_{to}"] = Accuracy(raw[a], raw[b]);
                else
                    lines.AppendLine(CultureInfo.InvariantCulture, $"  raw_{from}_to_{to}: skipped ({raw[a][0].Length} vs {raw[b][0].Length} columns: a head cannot read another space's width)");
            }
        }
        logger.LogInformation("dcid transfer accuracy ({Items} items with a category, {Classes} classes):\n{Lines}", rows.Length, labels.Distinct().Count(),
            string.Join("\n", result.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"  {kv.Key}: {kv.Value:F3}")) + (lines.Length > 0 ? "\n" + lines.ToString().TrimEnd() : ""));
        return result;
    }

    private static double[][] InSplitOrder(double[][] byDatasetItem, Split split) =>
        Enumerable.Range(0, split.ItemCount).Select(j => byDatasetItem[split.ItemToDataset[j]]).ToArray();

    private static string Get(Dictionary<string, double> result, string key) =>
        result.TryGetValue(key, out var v) ? v.ToString("F3", CultureInfo.InvariantCulture).PadLeft(8) : "       —";
}
