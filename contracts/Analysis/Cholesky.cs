namespace Untangle.Contracts.Analysis;

/// <summary>Solves A·X = B for a symmetric positive-definite A (the ridge normal equations).</summary>
internal static class Cholesky
{
    public static double[,] Solve(double[,] a, double[,] b)
    {
        int n = a.GetLength(0), m = b.GetLength(1);
        var l = new double[n, n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j <= i; j++)
            {
                double sum = a[i, j];
                for (int k = 0; k < j; k++) sum -= l[i, k] * l[j, k];
                if (i == j)
                {
                    if (sum <= 0) throw new ArithmeticException("the normal equations are not positive definite; use a larger ridge");
                    l[i, i] = Math.Sqrt(sum);
                }
                else l[i, j] = sum / l[j, j];
            }
        }
        var x = new double[n, m];
        for (int c = 0; c < m; c++)
        {
            var y = new double[n];
            for (int i = 0; i < n; i++)
            {
                double sum = b[i, c];
                for (int k = 0; k < i; k++) sum -= l[i, k] * y[k];
                y[i] = sum / l[i, i];
            }
            for (int i = n - 1; i >= 0; i--)
            {
                double sum = y[i];
                for (int k = i + 1; k < n; k++) sum -= l[k, i] * x[k, c];
                x[i, c] = sum / l[i, i];
            }
        }
        return x;
    }
}
