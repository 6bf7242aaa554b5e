using System.Composition;
using Untangle.Contracts.Analysis;
using Untangle.Contracts.Components;

namespace Untangle.Plugins.DisentanglementLab;

/// <summary>
/// The β-VAE score (Higgins et al., "β-VAE: Learning Basic Visual Concepts with a Constrained
/// Variational Framework", ICLR 2017, sec. 3): fix one factor, take L = 64 pairs of users that share
/// it, and average |z_1 − z_2| over the pairs; a linear classifier must name the fixed factor from
/// that difference. The score is its accuracy on held-out points. As disentanglement_lib
/// (beta_vae.py): training points from the fitting rows, evaluation points from the held-out rows,
/// sklearn's default logistic regression. Pairs come from observed users that share the factor's
/// level (<see cref="LevelGroups"/>). Departure: 2,000 training and 1,000 evaluation points where
/// beta_vae.py draws 10,000 and 5,000; the logistic regression on 10,000 points took 15 s of a
/// 20 s suite on 200 users here, and 1,000 evaluation points still give the accuracy a standard
/// error of at most 0.016.
/// </summary>
[ExportComponent(ComponentKind.DisentanglementMetric, "betavae",
    Description = "beta-VAE score: accuracy of a linear classifier naming the fixed factor from mean code differences of pairs",
    Citation = "Irina Higgins, Loic Matthey, Arka Pal, Christopher Burgess, Xavier Glorot, Matthew Botvinick, Shakir Mohamed, Alexander Lerchner. beta-VAE: Learning Basic Visual Concepts with a Constrained Variational Framework. ICLR 2017.")]
[Shared]
public sealed class BetaVaeScore : IDisentanglementMetric
{
    public const int BatchSize = 64, TrainPoints = 2_000, EvalPoints = 1_000;

    public IReadOnlyDictionary<string, double> Score(FactorCodes data)
    {
        var random = new Random(data.Seed);
        var fitGroups = new LevelGroups(data.Levels, data.FitRows, data.FactorCount);
        var heldGroups = new LevelGroups(data.Levels, data.ScoreRows, data.FactorCount);
        // Factors a pair can fix in both parts; with fewer than two there is nothing to tell apart.
        var usable = fitGroups.Usable.Intersect(heldGroups.Usable).ToArray();
        if (usable.Length < 2) return new Dictionary<string, double> { ["betavae"] = double.NaN };
        var (trainX, trainY) = Points(data, fitGroups, usable, TrainPoints, random);
        var (evalX, evalY) = Points(data, heldGroups, usable, EvalPoints, random);
        // Labels are positions in `usable`, so the classifier has one class per usable factor.
        var model = SoftmaxRegression.Fit(trainX, [trainY], [usable.Length], data.Seed);
        var predicted = model.Predict(evalX)[0];
        double accuracy = predicted.Zip(evalY).Count(p => p.First == p.Second) / (double)evalY.Length;
        return new Dictionary<string, double> { ["betavae"] = accuracy };
    }

    private static (double[][] X, int[] Y) Points(FactorCodes data, LevelGroups groups, int[] factors, int count, Random random)
    {
        int codes = data.CodeCount;
        var x = new double[count][];
        var y = new int[count];
        for (int p = 0; p < count; p++)
        {
            int label = random.Next(factors.Length);
            // Each pair shares the factor's level; the level differs from pair to pair (beta_vae.py).
            var feature = new double[codes];
            for (int i = 0; i < BatchSize; i++)
            {
                var (a, b) = groups.Pair(factors[label], random);
                for (int c = 0; c < codes; c++) feature[c] += Math.Abs(data.Codes[a][c] - data.Codes[b][c]) / BatchSize;
            }
            x[p] = feature;
            y[p] = label;
        }
        return (x, y);
    }
}
