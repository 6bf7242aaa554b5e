using System.Composition;
using Untangle.Contracts.Analysis;
using Untangle.Contracts.Components;

namespace Untangle.Plugins.DisentanglementLab;

/// <summary>
/// Separated Attribute Predictability (Kumar, Sattigeri, Balakrishnan, "Variational Inference of
/// Disentangled Latent Concepts from Unlabeled Observations", ICLR 2018, sec. 3): a score matrix
/// S_{c,f} of how well code c alone predicts factor f, then per factor the gap between its best and
/// second best code, averaged over factors. The user factors are continuous, so S is the paper's
/// continuous form, R² of a linear regression of v_f on z_c = corr(z_c, v_f)²
/// (disentanglement_lib's sap_score.py with continuous_factors=True), on the fitting rows.
/// </summary>
[ExportComponent(ComponentKind.DisentanglementMetric, "sap",
    Description = "SAP: per factor, the gap in R² between the two single codes that predict it best",
    Citation = "Abhishek Kumar, Prasanna Sattigeri, Avinash Balakrishnan. Variational Inference of Disentangled Latent Concepts from Unlabeled Observations. ICLR 2018.")]
[Shared]
public sealed class SapScore : IDisentanglementMetric
{
    public IReadOnlyDictionary<string, double> Score(FactorCodes data)
    {
        var rows = data.FitRows;
        int codes = data.CodeCount, factors = data.FactorCount;
        var gaps = new double[factors];
        var codeColumns = Enumerable.Range(0, codes).Select(c => rows.Select(r => data.Codes[r][c]).ToArray()).ToArray();
        Parallel.For(0, factors, f =>
        {
            var factor = rows.Select(r => data.Factors[r][f]).ToArray();
            double first = 0, second = 0;
            foreach (var code in codeColumns)
            {
                // A constant code or factor has no correlation: 0.
                double r = Correlation.Pearson(code, factor), s = double.IsNaN(r) ? 0 : r * r;
                if (s > first) (first, second) = (s, first);
                else if (s > second) second = s;
            }
            gaps[f] = first - second;
        });
        return new Dictionary<string, double> { ["sap"] = gaps.Average() };
    }
}
