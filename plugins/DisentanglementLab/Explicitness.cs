using System.Composition;
using Untangle.Contracts.Analysis;
using Untangle.Contracts.Components;

namespace Untangle.Plugins.DisentanglementLab;

/// <summary>
/// Explicitness (Ridgeway &amp; Mozer, NeurIPS 2018, sec. 3): how simply the factors can be read from
/// the code. Per factor, a logistic regression from the whole code to the factor's level, fit on the
/// fitting rows; its one-vs-rest ROC AUC per level, averaged over levels, on the held-out rows; the
/// mean over factors. As disentanglement_lib (modularity_explicitness.py: standardised codes, sklearn's
/// default L2 logistic regression, macro AUC). 0.5 is chance, 1 a perfect reading.
/// </summary>
[ExportComponent(ComponentKind.DisentanglementMetric, "explicitness",
    Description = "Explicitness: held-out one-vs-rest AUC of a logistic regression from the code to each factor",
    Citation = "Karl Ridgeway, Michael C. Mozer. Learning Deep Disentangled Embeddings With the F-Statistic Loss. NeurIPS 2018.")]
[Shared]
public sealed class Explicitness : IDisentanglementMetric
{
    public IReadOnlyDictionary<string, double> Score(FactorCodes data)
    {
        var fit = data.FitRows.Select(r => data.Codes[r]).ToArray();
        var held = data.ScoreRows.Select(r => data.Codes[r]).ToArray();
        var labels = CodeBins.FactorColumns(data.Levels, data.FitRows, data.FactorCount);
        var model = SoftmaxRegression.Fit(fit, labels, data.LevelCounts, data.Seed);
        var probabilities = model.Probabilities(held);
        var heldLabels = CodeBins.FactorColumns(data.Levels, data.ScoreRows, data.FactorCount);
        var aucs = new List<double>();
        for (int f = 0; f < data.FactorCount; f++)
        {
            double auc = RocAuc.OneVersusRest(probabilities[f], heldLabels[f], data.LevelCounts[f]);
            if (!double.IsNaN(auc)) aucs.Add(auc);
        }
        return new Dictionary<string, double> { ["explicitness"] = aucs.Count == 0 ? double.NaN : aucs.Average() };
    }
}
