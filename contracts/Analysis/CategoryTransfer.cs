namespace Untangle.Contracts.Analysis;

/// <summary>
/// Cross-modal generalisation (Xia et al., NeurIPS 2023, DCID §4): a classifier trained on one modality's
/// representation of items is applied, unchanged, to another modality's representation of other items.
/// It transfers only if both modalities put the label information in the same place, which is what a
/// shared (common) space promises and raw features do not give.
/// </summary>
public static class CategoryTransfer
{
    /// <summary>
    /// Multinomial logistic regression (features standardised with the source's fitting-row statistics,
    /// intercept, L2 <paramref name="l2"/>) trained on <paramref name="source"/> for a seeded random
    /// <paramref name="trainFraction"/> of the items; returns its accuracy on <paramref name="target"/> for
    /// the other items. Pass the same array twice for the within-modality accuracy. Source and target
    /// must have the same number of columns (a transfer head cannot read a space of another size).
    /// </summary>
    public static double Accuracy(float[][] source, float[][] target, int[] labels, int seed, double trainFraction = 0.8, double l2 = 1e-3, int iterations = 500)
    {
        if (source.Length != labels.Length || target.Length != labels.Length)
            throw new ArgumentException($"source has {source.Length} rows, target {target.Length}, labels {labels.Length}; expected the same item count");
        if (labels.Any(l => l < 0)) throw new ArgumentException("labels must be non-negative class indices");
        var (fit, heldOut) = ProbeSplit.Of(labels.Length, seed, trainFraction);
        var standardizer = Standardizer.Fit(source, fit);
        if (target[0].Length != standardizer.Columns)
            throw new ArgumentException($"source has {standardizer.Columns} columns but target {target[0].Length}; a transfer head needs the same space");

        int classes = labels.Max() + 1, p = standardizer.Columns + 1; // + intercept column
        var x = fit.Select(r => WithIntercept(standardizer.Apply(source[r]))).ToArray();
        var y = fit.Select(r => labels[r]).ToArray();
        var w = Train(x, y, classes, p, l2, iterations);

        int correct = 0;
        foreach (int r in heldOut)
        {
            var scores = Scores(w, WithIntercept(standardizer.Apply(target[r])), classes);
            int best = 0;
            for (int k = 1; k < classes; k++) if (scores[k] > scores[best]) best = k;
            if (best == labels[r]) correct++;
        }
        return (double)correct / heldOut.Length;
    }

    private static double[] WithIntercept(double[] x)
    {
        var withOne = new double[x.Length + 1];
        x.CopyTo(withOne, 0);
        withOne[^1] = 1;
        return withOne;
    }

    private static double[] Scores(double[,] w, double[] x, int classes)
    {
        var s = new double[classes];
        for (int k = 0; k < classes; k++)
            for (int j = 0; j < x.Length; j++) s[k] += w[j, k] * x[j];
        return s;
    }

    /// <summary>
    /// Nesterov-accelerated gradient descent on mean cross-entropy + l2/2·‖W‖² with step 1/L, where
    /// L = ½·λmax(XᵀX/n) + l2 bounds the softmax loss's curvature (Böhning 1992), so it cannot diverge.
    /// </summary>
    private static double[,] Train(double[][] x, int[] y, int classes, int p, double l2, int iterations)
    {
        double step = 1.0 / (0.5 * LargestEigenvalue(x, p) + l2);
        var w = new double[p, classes];
        var previous = new double[p, classes];
        var look = new double[p, classes];
        for (int t = 1; t <= iterations; t++)
        {
            double momentum = (t - 1.0) / (t + 2.0);
            for (int j = 0; j < p; j++)
                for (int k = 0; k < classes; k++) look[j, k] = w[j, k] + momentum * (w[j, k] - previous[j, k]);
            var gradient = new double[p, classes];
            for (int n = 0; n < x.Length; n++)
            {
                var s = Scores(look, x[n], classes);
                double max = s.Max(), sum = 0;
                for (int k = 0; k < classes; k++) { s[k] = Math.Exp(s[k] - max); sum += s[k]; }
                for (int k = 0; k < classes; k++)
                {
                    double residual = s[k] / sum - (k == y[n] ? 1 : 0);
                    for (int j = 0; j < p; j++) gradient[j, k] += residual * x[n][j];
                }
            }
            for (int j = 0; j < p; j++)
                for (int k = 0; k < classes; k++)
                {
                    previous[j, k] = w[j, k];
                    w[j, k] = look[j, k] - step * (gradient[j, k] / x.Length + l2 * look[j, k]);
                }
        }
        return w;
    }

    private static double LargestEigenvalue(double[][] x, int p)
    {
        var v = Enumerable.Repeat(1.0 / Math.Sqrt(p), p).ToArray();
        double eigenvalue = 0;
        for (int iteration = 0; iteration < 50; iteration++)
        {
            var next = new double[p];
            foreach (var row in x)
            {
                double dot = 0;
                for (int j = 0; j < p; j++) dot += row[j] * v[j];
                for (int j = 0; j < p; j++) next[j] += dot * row[j] / x.Length;
            }
            double norm = Math.Sqrt(next.Sum(a => a * a));
            if (norm < 1e-300) return 1;
            eigenvalue = norm;
            for (int j = 0; j < p; j++) v[j] = next[j] / norm;
        }
        return eigenvalue * 1.05; // power iteration approaches from below
    }
}
