using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using Untangle.Contracts.Analysis;
using Untangle.Contracts.Data;

namespace Untangle.Plugins.Pamd;

/// <summary>
/// The "disentanglement" analysis (issue 7): on data with known item factors (the synthetic reader's
/// <see cref="ItemFactorTruth"/>), the held-out linear-probe R² (<see cref="LinearProbe.HeldOutRSquared"/>)
/// of each learned part of each modality on the true shared factors and on that modality's true specific
/// factors:
/// <code>
///   &lt;m&gt;.r2_common_shared    &lt;m&gt;.r2_common_specific      (the common part: high, low when disentangled)
///   &lt;m&gt;.r2_specific_shared  &lt;m&gt;.r2_specific_specific    (the specific part: low, high)
///   &lt;m&gt;.r2_raw_shared       &lt;m&gt;.r2_raw_specific         (the input features: what a linear map can recover at all)
/// </code>
/// and the 2 × 2 table per modality in the log. Data without truth (MovieLens) gives no keys and a log line saying why.
/// </summary>
/// <remarks>
/// <para><b>Why a second, reverse table.</b> The probe standardises its features, so it is blind to scale: a
/// part that is 99% shared signal and 1% specific leakage still predicts the specific factors as well as
/// the raw input does whenever the leakage is a full-rank linear image of them. PAMD's parts are linear maps
/// of the input (c = h·W, s = h − c) and nothing makes W exactly rank-deficient, so its leakage shrinks
/// but never vanishes. The reverse probe, the factors predicting the part's own columns
/// (<c>&lt;m&gt;.share_&lt;part&gt;_&lt;factors&gt;</c>, held-out R² averaged over the part's columns), is
/// the share of the part's variation each factor set explains, which does see how much leaks.</para>
/// </remarks>
public static class DisentanglementAnalysis
{
    public static IReadOnlyDictionary<string, double> Compute(
        PartsSnapshot snapshot, Dataset dataset, Split split, int seed, ILogger logger, string prefix = "")
    {
        var result = new Dictionary<string, double>();
        if (!dataset.Extras.TryGetValue(ItemFactorTruth.ExtrasKey, out var found) || found is not ItemFactorTruth truth)
        {
            logger.LogInformation("pamd disentanglement: skipped, data set '{Dataset}' has no true item factors (Extras[\"{Key}\"]; only the synthetic reader knows them)",
                dataset.Name, ItemFactorTruth.ExtrasKey);
            return result;
        }
        var shared = Targets(truth.Shared, split);
        foreach (var rows in new[] { snapshot.V, snapshot.T })
        {
            if (!truth.Specific.TryGetValue(rows.Name, out var specificFactors))
            {
                logger.LogInformation("pamd disentanglement: modality '{Modality}' skipped, the truth has specific factors for {Known} only",
                    rows.Name, string.Join(", ", truth.Specific.Keys));
                continue;
            }
            var specific = Targets(specificFactors, split);
            double R2(float[][] features, double[][] targets) => LinearProbe.HeldOutRSquared(features, targets, seed);
            // The reverse probe: how much of the part's own variation the factors explain (scale-aware, see remarks).
            double Share(double[][] factors, float[][] part) => LinearProbe.HeldOutRSquared(
                factors.Select(r => r.Select(x => (float)x).ToArray()).ToArray(), part.Select(r => r.Select(x => (double)x).ToArray()).ToArray(), seed);
            var table = new Dictionary<string, double>
            {
                ["r2_common_shared"] = R2(rows.Common, shared),
                ["r2_common_specific"] = R2(rows.Common, specific),
                ["r2_specific_shared"] = R2(rows.Specific, shared),
                ["r2_specific_specific"] = R2(rows.Specific, specific),
                ["r2_raw_shared"] = R2(rows.Raw, shared),
                ["r2_raw_specific"] = R2(rows.Raw, specific),
                ["share_common_shared"] = Share(shared, rows.Common),
                ["share_common_specific"] = Share(specific, rows.Common),
                ["share_specific_shared"] = Share(shared, rows.Specific),
                ["share_specific_specific"] = Share(specific, rows.Specific),
            };
            foreach (var (key, value) in table) result[$"{prefix}{rows.Name}.{key}"] = value;
            logger.LogInformation("pamd disentanglement{Prefix} ({Modality}), held-out linear-probe R² of each part on the true factors:\n{Table}",
                prefix.Length == 0 ? "" : $" [{prefix.TrimEnd('.')}]", rows.Name, Table(rows.Name, table));
        }
        return result;
    }

    /// <summary>The 2 × 2 table (rows: the learned parts; columns: the true factors) plus the raw features' row.</summary>
    public static string Table(string modality, IReadOnlyDictionary<string, double> r2)
    {
        string F(double x) => x.ToString("F3", CultureInfo.InvariantCulture).PadLeft(10);
        var text = new StringBuilder();
        text.AppendLine($"{modality,-12}{"shared",10}{"specific",10}");
        text.AppendLine($"{"common",-12}{F(r2["r2_common_shared"])}{F(r2["r2_common_specific"])}");
        text.AppendLine($"{"specific",-12}{F(r2["r2_specific_shared"])}{F(r2["r2_specific_specific"])}");
        text.Append($"{"(raw input)",-12}{F(r2["r2_raw_shared"])}{F(r2["r2_raw_specific"])}");
        return text.ToString();
    }

    /// <summary>The truth's rows for the split's items, in split order.</summary>
    private static double[][] Targets(double[][] byDatasetItem, Split split) =>
        split.ItemToDataset.Select(i => byDatasetItem[i]).ToArray();
}
