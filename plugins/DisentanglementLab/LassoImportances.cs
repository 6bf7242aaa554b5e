using Untangle.Contracts.Training;
using static TorchSharp.torch;

namespace Untangle.Plugins.DisentanglementLab;

/// <summary>
/// Lasso regressions from the whole code to each factor (Tibshirani 1996), the regressor Eastwood &amp;
/// Williams (ICLR 2018, sec. 4) use for DCI beside random forests: codes and factors standardised on
/// the fitting rows, minimise (1/2n)‖y − Xβ‖² + α‖β‖₁ by cyclic coordinate descent on the Gram matrix
/// G = XᵀX/n (computed once for every factor), importance |β|, predictions on the held-out rows.
/// α = 0.02 on standardised data. A fit costs codes² per sweep whatever the number of users, where
/// gradient-boosted trees (<see cref="TreeImportances"/>) bin every code for every factor.
/// </summary>
internal static class LassoImportances
{
    public const double Alpha = 0.02;
    private const int MaxSweeps = 500;
    private const double Tolerance = 1e-6;

    /// <summary>codes × factors |β| and, per factor, the held-out predictions (in the factor's units).</summary>
    public static (double[,] Importance, double[][] Predicted) Fit(double[][] fit, double[][] fitTargets, double[][] heldOut)
    {
        int n = fit.Length, p = fit[0].Length, q = fitTargets[0].Length;
        var xColumns = StandardisedColumns.Fit(fit);
        var yColumns = StandardisedColumns.Fit(fitTargets);
        double[,] gram, cross;
        using (var scope = NewDisposeScope())
        {
            var x = xColumns.Tensor(fit);
            var y = yColumns.Tensor(fitTargets);
            gram = ToArray(x.t().mm(x).Over(n), p, p);
            cross = ToArray(x.t().mm(y).Over(n), p, q);
        }
        var importance = new double[p, q];
        var coefficients = new double[q][];
        Parallel.For(0, q, f =>
        {
            var beta = new double[p];
            var gramBeta = new double[p]; // G·β, kept up to date as coordinates change
            for (int sweep = 0; sweep < MaxSweeps; sweep++)
            {
                double largest = 0;
                for (int j = 0; j < p; j++)
                {
                    if (gram[j, j] <= 0) continue; // a constant code
                    double residual = cross[j, f] - gramBeta[j] + gram[j, j] * beta[j];
                    double delta = SoftThreshold(residual, Alpha) / gram[j, j] - beta[j];
                    if (delta == 0) continue;
                    beta[j] += delta;
                    for (int k = 0; k < p; k++) gramBeta[k] += gram[k, j] * delta;
                    largest = Math.Max(largest, Math.Abs(delta));
                }
                if (largest < Tolerance) break;
            }
            coefficients[f] = beta;
            for (int j = 0; j < p; j++) importance[j, f] = Math.Abs(beta[j]);
        });
        var predicted = new double[q][];
        for (int f = 0; f < q; f++)
        {
            predicted[f] = new double[heldOut.Length];
            for (int i = 0; i < heldOut.Length; i++)
            {
                double s = 0;
                for (int j = 0; j < p; j++) s += coefficients[f][j] * xColumns.Apply(heldOut[i][j], j);
                predicted[f][i] = yColumns.Mean[f] + yColumns.Scale[f] * s;
            }
        }
        return (importance, predicted);
    }

    private static double SoftThreshold(double value, double threshold) =>
        value > threshold ? value - threshold : value < -threshold ? value + threshold : 0;

    private static double[,] ToArray(Tensor t, int rows, int columns)
    {
        var flat = t.data<double>().ToArray();
        var result = new double[rows, columns];
        for (int i = 0; i < rows; i++) for (int j = 0; j < columns; j++) result[i, j] = flat[i * columns + j];
        return result;
    }
}
