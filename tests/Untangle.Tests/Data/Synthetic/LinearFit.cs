namespace Untangle.Tests.Data.Synthetic;

/// <summary>Ordinary least squares with an intercept, to ask how much of Y a linear map of X explains.</summary>
internal static class LinearFit
{
    /// <summary>Mean over Y's columns of the in-sample R² of regressing the column on X.</summary>
    public static double MeanRSquared(double[][] x, double[][] y)
    {
        int n = x.Length, p = x[0].Length + 1;
        var design = x.Select(r => r.Prepend(1.0).ToArray()).ToArray();
        var gram = new double[p, p];
        for (int i = 0; i < n; i++)
            for (int a = 0; a < p; a++)
                for (int b = 0; b < p; b++)
                    gram[a, b] += design[i][a] * design[i][b];
        double total = 0;
        for (int c = 0; c < y[0].Length; c++)
        {
            var rhs = new double[p];
            for (int i = 0; i < n; i++)
                for (int a = 0; a < p; a++) rhs[a] += design[i][a] * y[i][c];
            var beta = Solve((double[,])gram.Clone(), rhs);
            double mean = y.Average(r => r[c]), residual = 0, spread = 0;
            for (int i = 0; i < n; i++)
            {
                double fit = 0;
                for (int a = 0; a < p; a++) fit += design[i][a] * beta[a];
                residual += (y[i][c] - fit) * (y[i][c] - fit);
                spread += (y[i][c] - mean) * (y[i][c] - mean);
            }
            total += 1 - residual / spread;
        }
        return total / y[0].Length;
    }

    /// <summary>Gaussian elimination with partial pivoting.</summary>
    private static double[] Solve(double[,] a, double[] b)
    {
        int n = b.Length;
        for (int col = 0; col < n; col++)
        {
            int pivot = col;
            for (int r = col + 1; r < n; r++) if (Math.Abs(a[r, col]) > Math.Abs(a[pivot, col])) pivot = r;
            for (int k = 0; k < n; k++) (a[col, k], a[pivot, k]) = (a[pivot, k], a[col, k]);
            (b[col], b[pivot]) = (b[pivot], b[col]);
            for (int r = col + 1; r < n; r++)
            {
                double f = a[r, col] / a[col, col];
                for (int k = col; k < n; k++) a[r, k] -= f * a[col, k];
                b[r] -= f * b[col];
            }
        }
        var x = new double[n];
        for (int r = n - 1; r >= 0; r--)
        {
            double s = b[r];
            for (int k = r + 1; k < n; k++) s -= a[r, k] * x[k];
            x[r] = s / a[r, r];
        }
        return x;
    }
}
