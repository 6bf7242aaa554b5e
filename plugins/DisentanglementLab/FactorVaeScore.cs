using System.Composition;
using Untangle.Contracts.Analysis;
using Untangle.Contracts.Components;

namespace Untangle.Plugins.DisentanglementLab;

/// <summary>
/// The FactorVAE score (Kim &amp; Mnih, "Disentangling by Factorising", ICML 2018, sec. 4): fix one
/// factor, take a batch of L = 64 users sharing it, divide each code's variance in the batch by its
/// variance over all users, and vote for (factor, code with the smallest ratio). A majority-vote
/// classifier maps each code to the factor it most often won; the score is its accuracy on fresh
/// votes. As disentanglement_lib (factor_vae.py): collapsed codes are pruned (no active code scores
/// 0), 10,000 training votes from the fitting rows,
/// 5,000 evaluation votes from the held-out rows, the batch variance with ddof = 1. Batches come from
/// observed users that share the factor's level (<see cref="LevelGroups"/>).
/// Departure from factor_vae.py: a code is collapsed when its standard deviation is below 0.05 times
/// the largest code's, where factor_vae.py's threshold is an absolute 0.05. Its threshold suits a VAE's
/// codes, on the N(0, I) prior's scale; embeddings trained without a prior (LightGCN's, initialised
/// at std 0.1) sit below it in every dimension and would all be pruned.
/// </summary>
[ExportComponent(ComponentKind.DisentanglementMetric, "factorvae",
    Description = "FactorVAE score: accuracy of a majority vote that names the fixed factor from the code with the least relative variance",
    Citation = "Hyunjik Kim, Andriy Mnih. Disentangling by Factorising. ICML 2018.")]
[Shared]
public sealed class FactorVaeScore : IDisentanglementMetric
{
    public const int BatchSize = 64, TrainVotes = 10_000, EvalVotes = 5_000;
    public const double PruneBelow = 0.05;

    public IReadOnlyDictionary<string, double> Score(FactorCodes data)
    {
        var all = data.FitRows.Concat(data.ScoreRows).ToArray();
        int codes = data.CodeCount;
        var globalVariance = Enumerable.Range(0, codes).Select(c => Variance(all.Select(r => data.Codes[r][c]).ToArray())).ToArray();
        double widest = Math.Sqrt(globalVariance.Max());
        var active = Enumerable.Range(0, codes).Where(c => globalVariance[c] > 0 && Math.Sqrt(globalVariance[c]) >= PruneBelow * widest).ToArray();
        var result = new Dictionary<string, double> { ["factorvae_active_codes"] = active.Length };
        if (active.Length == 0)
        {
            result["factorvae"] = 0;
            return result;
        }
        var random = new Random(data.Seed);
        var train = Votes(data, new LevelGroups(data.Levels, data.FitRows, data.FactorCount), active, globalVariance, TrainVotes, random);
        var eval = Votes(data, new LevelGroups(data.Levels, data.ScoreRows, data.FactorCount), active, globalVariance, EvalVotes, random);
        // Each active code → the factor it won most often in training (ties: the lower factor, as np.argmax).
        int factors = data.FactorCount;
        double correct = 0, total = 0;
        for (int a = 0; a < active.Length; a++)
        {
            int best = 0;
            for (int f = 1; f < factors; f++) if (train[f, a] > train[best, a]) best = f;
            correct += eval[best, a];
            for (int f = 0; f < factors; f++) total += eval[f, a];
        }
        result["factorvae"] = total == 0 ? double.NaN : correct / total;
        return result;
    }

    /// <summary>factors × active codes: how often each code had the least relative variance in a batch with that factor fixed.</summary>
    private static int[,] Votes(FactorCodes data, LevelGroups groups, int[] active, double[] globalVariance, int count, Random random)
    {
        var votes = new int[data.FactorCount, active.Length];
        var usable = groups.Usable;
        if (usable.Length == 0) return votes;
        var sum = new double[active.Length];
        var squares = new double[active.Length];
        for (int v = 0; v < count; v++)
        {
            int factor = usable[random.Next(usable.Length)];
            var batch = groups.Batch(factor, BatchSize, random);
            Array.Clear(sum);
            Array.Clear(squares);
            // Row by row (each user's code is contiguous): Σx and Σx² per active code.
            foreach (int row in batch)
            {
                var code = data.Codes[row];
                for (int a = 0; a < active.Length; a++)
                {
                    double x = code[active[a]];
                    sum[a] += x;
                    squares[a] += x * x;
                }
            }
            int argmin = 0;
            double min = double.PositiveInfinity;
            for (int a = 0; a < active.Length; a++)
            {
                // Sample variance (ddof = 1) relative to the code's variance over all users.
                double ratio = (squares[a] - sum[a] * sum[a] / BatchSize) / (BatchSize - 1) / globalVariance[active[a]];
                if (ratio < min) (min, argmin) = (ratio, a);
            }
            votes[factor, argmin]++;
        }
        return votes;
    }

    /// <summary>Sample variance (ddof = 1).</summary>
    internal static double Variance(double[] x)
    {
        double mean = x.Average(), s = 0;
        foreach (var v in x) s += (v - mean) * (v - mean);
        return x.Length > 1 ? s / (x.Length - 1) : 0;
    }
}
