using System.Composition;
using Untangle.Contracts.Analysis;
using Untangle.Contracts.Components;

namespace Untangle.Plugins.DisentanglementLab;

/// <summary>
/// Modularity (Ridgeway &amp; Mozer, "Learning Deep Disentangled Embeddings With the F-Statistic
/// Loss", NeurIPS 2018, sec. 3): a code is modular when it carries information about one factor
/// only. With m_{c,f} = I(z_c; v_f) (20 bins per code, <see cref="CodeBins"/>) and θ_c = max_f m_{c,f}:
/// <code>
///     δ_c = Σ_f (m_{c,f} − t_{c,f})² / (θ_c² (F − 1)),   t_{c,f} = θ_c where f is the argmax, else 0
///     modularity = mean_c (1 − δ_c)
/// </code>
/// As disentanglement_lib (modularity_explicitness.py), on the fitting rows; a code with no
/// information about any factor scores 0.
/// </summary>
[ExportComponent(ComponentKind.DisentanglementMetric, "modularity",
    Description = "Modularity: how much each code's information concentrates on one factor",
    Citation = "Karl Ridgeway, Michael C. Mozer. Learning Deep Disentangled Embeddings With the F-Statistic Loss. NeurIPS 2018.")]
[Shared]
public sealed class Modularity : IDisentanglementMetric
{
    public IReadOnlyDictionary<string, double> Score(FactorCodes data)
    {
        var codes = CodeBins.Discretize(data.Codes, data.FitRows);
        var factors = CodeBins.FactorColumns(data.Levels, data.FitRows, data.FactorCount);
        return new Dictionary<string, double> { ["modularity"] = Of(DiscreteInformation.Matrix(codes, factors)) };
    }

    /// <summary>The mean of 1 − δ_c over codes for a codes × factors information matrix.</summary>
    public static double Of(double[,] mi)
    {
        int codes = mi.GetLength(0), factors = mi.GetLength(1);
        if (factors < 2) return double.NaN;
        double total = 0;
        for (int c = 0; c < codes; c++)
        {
            double max = 0, sumSquares = 0;
            for (int f = 0; f < factors; f++)
            {
                double sq = mi[c, f] * mi[c, f];
                sumSquares += sq;
                max = Math.Max(max, sq);
            }
            // Σ_f (m − t)² = Σ m² − θ², since t matches m at the argmax and is 0 elsewhere.
            total += max > 0 ? 1 - (sumSquares - max) / (max * (factors - 1)) : 0;
        }
        return total / codes;
    }
}
