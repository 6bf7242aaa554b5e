namespace Untangle.Contracts.Analysis;

/// <summary>
/// How much of a set of true factors a representation holds linearly: ridge regression from the
/// representation to the factors, fit on part of the rows and scored on the rest. The ground-truth
/// check of dcid-pamd.md: a disentangled common part predicts the shared factors well and the
/// modality-specific factors badly, and the specific part the reverse.
/// </summary>
public static class LinearProbe
{
    /// <summary>
    /// Ridge regression (standardised features plus an intercept; minimises mean squared error +
    /// <paramref name="ridge"/>·‖W‖²) fit on a seeded random <paramref name="trainFraction"/> of the rows;
    /// returns R² = 1 − SSE/SST per target column on the held-out rows, averaged over target columns.
    /// SST uses the held-out mean, so predicting a constant scores 0 and worse-than-constant is negative.
    /// </summary>
    public static double HeldOutRSquared(float[][] features, double[][] targets, int seed, double ridge = 1e-2, double trainFraction = 0.8)
    {
        if (features.Length != targets.Length)
            throw new ArgumentException($"features have {features.Length} rows but targets {targets.Length}");
        var (fit, heldOut) = ProbeSplit.Of(features.Length, seed, trainFraction);
        var standardizer = Standardizer.Fit(features, fit);
        int p = standardizer.Columns, q = targets[0].Length;

        // Centre the targets on the fitting rows; the intercept is then their mean (features are centred).
        var targetMean = new double[q];
        foreach (int r in fit) for (int c = 0; c < q; c++) targetMean[c] += targets[r][c];
        for (int c = 0; c < q; c++) targetMean[c] /= fit.Length;

        // Normal equations (XᵀX/n + λI) W = XᵀY/n.
        var gram = new double[p, p];
        var cross = new double[p, q];
        foreach (int r in fit)
        {
            var x = standardizer.Apply(features[r]);
            for (int a = 0; a < p; a++)
            {
                for (int b = a; b < p; b++) gram[a, b] += x[a] * x[b];
                for (int c = 0; c < q; c++) cross[a, c] += x[a] * (targets[r][c] - targetMean[c]);
            }
        }
        for (int a = 0; a < p; a++)
        {
            for (int b = a; b < p; b++) { gram[a, b] /= fit.Length; gram[b, a] = gram[a, b]; }
            gram[a, a] += ridge;
            for (int c = 0; c < q; c++) cross[a, c] /= fit.Length;
        }
        var weights = Cholesky.Solve(gram, cross);

        var heldMean = new double[q];
        foreach (int r in heldOut) for (int c = 0; c < q; c++) heldMean[c] += targets[r][c];
        for (int c = 0; c < q; c++) heldMean[c] /= heldOut.Length;
        var sse = new double[q];
        var sst = new double[q];
        foreach (int r in heldOut)
        {
            var x = standardizer.Apply(features[r]);
            for (int c = 0; c < q; c++)
            {
                double prediction = targetMean[c];
                for (int a = 0; a < p; a++) prediction += x[a] * weights[a, c];
                double e = targets[r][c] - prediction, d = targets[r][c] - heldMean[c];
                sse[c] += e * e;
                sst[c] += d * d;
            }
        }
        double total = 0;
        for (int c = 0; c < q; c++) total += sst[c] < 1e-300 ? 0 : 1 - sse[c] / sst[c];
        return total / q;
    }
}
