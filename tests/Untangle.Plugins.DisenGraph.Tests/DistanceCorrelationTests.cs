using Untangle.Contracts.Training;
using static TorchSharp.torch;

namespace Untangle.Plugins.DisenGraph.Tests;

/// <summary>DGCF's distance correlation against its definition, and the intent loss built from it.</summary>
public class DistanceCorrelationTests
{
    [Fact]
    public void Identical_and_scaled_samples_have_distance_correlation_one()
    {
        using var scope = NewDisposeScope();
        var x = randn([200, 4], generator: new Generator(1));

        DistanceCorrelation.Of(x, x).item<float>().Should().BeApproximately(1, 1e-3f);
        DistanceCorrelation.Of(x, x.Times(3)).item<float>().Should().BeApproximately(1, 1e-3f);
    }

    [Fact]
    public void Independent_samples_have_a_small_distance_correlation_and_dependent_ones_a_large_one()
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(2);
        var x = randn([1000, 4], generator: generator);
        var y = randn([1000, 4], generator: generator);

        double independent = DistanceCorrelation.Of(x, y).item<float>();
        double dependent = DistanceCorrelation.Of(x, x.Squared().Plus(y.Times(0.1))).item<float>(); // uncorrelated, not independent

        independent.Should().BeLessThan(0.15);
        dependent.Should().BeGreaterThan(0.3);
    }

    [Fact]
    public void It_matches_the_definition_on_a_small_sample()
    {
        double[,] xs = { { 0, 1 }, { 1, 0 }, { 2, 2 }, { 3, 1 }, { 0.5, 4 }, { 1.5, 1.5 } };
        double[,] ys = { { 1 }, { 0 }, { 3 }, { 2 }, { 5 }, { 1 } };
        using var scope = NewDisposeScope();

        double value = DistanceCorrelation.Of(tensor(xs), tensor(ys)).item<double>();

        value.Should().BeApproximately(Definition(xs, ys), 1e-3);
    }

    [Fact]
    public void The_intent_loss_sums_neighbouring_chunks_over_the_official_divisor()
    {
        using var scope = NewDisposeScope();
        var rows = randn([50, 6], generator: new Generator(4));
        var chunks = rows.chunk(3, 1);
        double expected = (DistanceCorrelation.Of(chunks[0], chunks[1]).item<float>() + DistanceCorrelation.Of(chunks[1], chunks[2]).item<float>()) / 6.0;

        DistanceCorrelation.IntentLoss(rows, 3).item<float>().Should().BeApproximately((float)expected, 1e-6f);
        DistanceCorrelation.IntentLoss(rows, 1).item<float>().Should().Be(0);
    }

    /// <summary>Székely et al. 2007, eq. 2.8-2.10: double-centred distance matrices, V-statistics, written out by loops.</summary>
    private static double Definition(double[,] x, double[,] y)
    {
        int n = x.GetLength(0);
        double[,] Centred(double[,] v)
        {
            var d = new double[n, n];
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++)
                {
                    double s = 0;
                    for (int c = 0; c < v.GetLength(1); c++) s += (v[i, c] - v[j, c]) * (v[i, c] - v[j, c]);
                    d[i, j] = Math.Sqrt(s);
                }
            var rowMean = new double[n];
            var colMean = new double[n];
            double all = 0;
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++) { rowMean[i] += d[i, j] / n; colMean[j] += d[i, j] / n; all += d[i, j] / (n * n); }
            var a = new double[n, n];
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++) a[i, j] = d[i, j] - rowMean[i] - colMean[j] + all;
            return a;
        }
        double Covariance(double[,] a, double[,] b)
        {
            double s = 0;
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++) s += a[i, j] * b[i, j];
            return Math.Sqrt(s / (n * n));
        }
        var ax = Centred(x);
        var by = Centred(y);
        return Covariance(ax, by) / Math.Sqrt(Covariance(ax, ax) * Covariance(by, by));
    }
}
