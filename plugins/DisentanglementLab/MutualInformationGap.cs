using System.Composition;
using Untangle.Contracts.Analysis;
using Untangle.Contracts.Components;

namespace Untangle.Plugins.DisentanglementLab;

/// <summary>
/// Mutual Information Gap (Chen, Li, Grosse, Duvenaud, "Isolating Sources of Disentanglement in
/// Variational Autoencoders", NeurIPS 2018, eq. 6):
/// <code>
///     MIG = mean_k (I(z_(1); v_k) − I(z_(2); v_k)) / H(v_k)
/// </code>
/// where z_(1), z_(2) are the codes with the largest and second largest mutual information with
/// factor v_k. As disentanglement_lib (mig.py): codes discretised into 20 equal-width bins
/// (<see cref="CodeBins"/>), the discrete factor levels, on the fitting rows. A factor with one level
/// (H = 0) has no gap to measure and is left out of the mean; "mig_factors" says how many counted.
/// </summary>
[ExportComponent(ComponentKind.DisentanglementMetric, "mig",
    Description = "Mutual information gap: per factor, the normalised gap between the two codes most informative of it",
    Citation = "Ricky T. Q. Chen, Xuechen Li, Roger Grosse, David Duvenaud. Isolating Sources of Disentanglement in Variational Autoencoders. NeurIPS 2018.")]
[Shared]
public sealed class MutualInformationGap : IDisentanglementMetric
{
    public IReadOnlyDictionary<string, double> Score(FactorCodes data)
    {
        var codes = CodeBins.Discretize(data.Codes, data.FitRows);
        var factors = CodeBins.FactorColumns(data.Levels, data.FitRows, data.FactorCount);
        var mi = DiscreteInformation.Matrix(codes, factors);
        var gaps = new List<double>();
        for (int f = 0; f < factors.Length; f++)
        {
            double entropy = DiscreteInformation.Entropy(factors[f]);
            if (entropy <= 0) continue;
            double first = 0, second = 0;
            for (int c = 0; c < codes.Length; c++)
            {
                double v = mi[c, f];
                if (v > first) (first, second) = (v, first);
                else if (v > second) second = v;
            }
            gaps.Add((first - second) / entropy);
        }
        return new Dictionary<string, double>
        {
            ["mig"] = gaps.Count == 0 ? double.NaN : gaps.Average(),
        };
    }
}
