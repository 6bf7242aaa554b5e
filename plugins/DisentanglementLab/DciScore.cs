using System.Composition;
using Untangle.Contracts.Analysis;
using Untangle.Contracts.Components;

namespace Untangle.Plugins.DisentanglementLab;

/// <summary>
/// DCI (Eastwood &amp; Williams, "A Framework for the Quantitative Evaluation of Disentangled
/// Representations", ICLR 2018, sec. 2): regress each factor on the whole code, fit on the fitting
/// rows, and read the importance matrix R (codes × factors):
/// <code>
///     disentanglement = Σ_c ρ_c (1 − H_F(P_c·)),  P_cf = R_cf / Σ_f R_cf,  ρ_c = Σ_f R_cf / Σ R     (eq. 1-2)
///     completeness    = Σ_f ρ_f (1 − H_C(P̃_·f)),  P̃_cf = R_cf / Σ_c R_cf,  ρ_f = Σ_c R_cf / Σ R   (eq. 3)
///     informativeness = mean_f max(0, R²_f) of the regressor's predictions on the held-out rows
/// </code>
/// with entropies in base F (factors) and C (codes), as disentanglement_lib's dci.py (including its
/// 1e-11 inside the entropies and the importance weighting of completeness). This component's
/// regressor is the paper's lasso (<see cref="LassoImportances"/>); "dci-trees"
/// (<see cref="DciTreesScore"/>) uses gradient-boosted trees as dci.py. Departures from dci.py: the
/// regressors predict the factor's value (the user factors are ordinal or continuous) where dci.py
/// classifies its level, so informativeness is held-out R², floored at 0 per factor (a prediction
/// worse than the mean carries no information), where dci.py reports accuracy.
/// </summary>
[ExportComponent(ComponentKind.DisentanglementMetric, "dci",
    Description = "DCI disentanglement, completeness and informativeness from lasso importances (the paper's regressor)",
    Citation = Citation)]
[Shared]
public sealed class DciScore : IDisentanglementMetric
{
    public const string Citation =
        "Cian Eastwood, Christopher K. I. Williams. A Framework for the Quantitative Evaluation of Disentangled Representations. ICLR 2018.";

    public IReadOnlyDictionary<string, double> Score(FactorCodes data)
    {
        var fit = data.FitRows.Select(r => data.Codes[r]).ToArray();
        var held = data.ScoreRows.Select(r => data.Codes[r]).ToArray();
        var (importance, predicted) = LassoImportances.Fit(fit, data.FitRows.Select(r => data.Factors[r]).ToArray(), held);
        return Summary("dci_", importance, predicted, data);
    }

    /// <summary>The three DCI numbers, keyed with <paramref name="prefix"/>, from an importance matrix and held-out predictions per factor.</summary>
    internal static Dictionary<string, double> Summary(string prefix, double[,] importance, double[][] predicted, FactorCodes data)
    {
        var informativeness = Enumerable.Range(0, data.FactorCount)
            .Select(f => Math.Max(0, RSquared(data.ScoreRows.Select(r => data.Factors[r][f]).ToArray(), predicted[f])));
        return new Dictionary<string, double>
        {
            [prefix + "disentanglement"] = Disentanglement(importance),
            [prefix + "completeness"] = Completeness(importance),
            [prefix + "informativeness"] = informativeness.Average(),
        };
    }

    /// <summary>Σ_c ρ_c (1 − H_F(P_c·)) for a codes × factors importance matrix.</summary>
    public static double Disentanglement(double[,] importance) => WeightedOneMinusEntropy(importance, byCode: true);

    /// <summary>Σ_f ρ_f (1 − H_C(P̃_·f)) for a codes × factors importance matrix.</summary>
    public static double Completeness(double[,] importance) => WeightedOneMinusEntropy(importance, byCode: false);

    private static double WeightedOneMinusEntropy(double[,] r, bool byCode)
    {
        int codes = r.GetLength(0), factors = r.GetLength(1);
        int groups = byCode ? codes : factors, members = byCode ? factors : codes;
        double Get(int g, int m) => byCode ? r[g, m] : r[m, g];
        double total = 0;
        for (int g = 0; g < groups; g++) for (int m = 0; m < members; m++) total += Get(g, m);
        double score = 0;
        for (int g = 0; g < groups; g++)
        {
            double sum = 0;
            for (int m = 0; m < members; m++) sum += Get(g, m) + 1e-11;
            double entropy = 0;
            for (int m = 0; m < members; m++)
            {
                double q = (Get(g, m) + 1e-11) / sum;
                entropy -= q * Math.Log(q);
            }
            entropy /= Math.Log(members);
            // With no importance anywhere every group weighs the same (dci.py's np.ones_like).
            double weight = total > 0 ? Enumerable.Range(0, members).Sum(m => Get(g, m)) / total : 1.0 / groups;
            score += weight * (1 - entropy);
        }
        return score;
    }

    /// <summary>1 − SSE/SST around the held-out mean.</summary>
    public static double RSquared(double[] truth, double[] predicted)
    {
        double mean = truth.Average(), sse = 0, sst = 0;
        for (int i = 0; i < truth.Length; i++)
        {
            sse += (truth[i] - predicted[i]) * (truth[i] - predicted[i]);
            sst += (truth[i] - mean) * (truth[i] - mean);
        }
        return sst > 0 ? 1 - sse / sst : 0;
    }
}

/// <summary>
/// DCI as disentanglement_lib's dci.py computes it: importances from gradient-boosted trees (ML.NET
/// FastTree, <see cref="TreeImportances"/>: 100 depth-3 trees, learning rate 0.1), one ensemble per
/// factor; keys dci_trees_disentanglement, dci_trees_completeness, dci_trees_informativeness. Otherwise
/// as <see cref="DciScore"/>. Not in eval.disentanglement's default list: FastTree bins every code
/// again for every factor, about 4 s per factor for 2,000 users × 500 codes here (MacridVAE's
/// 5 × 100), so name it where codes are narrow or the time is there.
/// </summary>
[ExportComponent(ComponentKind.DisentanglementMetric, "dci-trees",
    Description = "DCI with gradient-boosted tree importances (FastTree), as disentanglement_lib's dci.py",
    Citation = DciScore.Citation)]
[Shared]
public sealed class DciTreesScore : IDisentanglementMetric
{
    public IReadOnlyDictionary<string, double> Score(FactorCodes data)
    {
        var fit = data.FitRows.Select(r => data.Codes[r]).ToArray();
        var held = data.ScoreRows.Select(r => data.Codes[r]).ToArray();
        int codes = data.CodeCount, factors = data.FactorCount;
        var importance = new double[codes, factors];
        var predicted = new double[factors][];
        for (int f = 0; f < factors; f++)
        {
            var targets = data.FitRows.Select(r => data.Factors[r][f]).ToArray();
            var (weights, prediction) = TreeImportances.Fit(fit, targets, held, data.Seed + f);
            for (int c = 0; c < codes; c++) importance[c, f] = weights[c];
            predicted[f] = prediction;
        }
        return DciScore.Summary("dci_trees_", importance, predicted, data);
    }
}
