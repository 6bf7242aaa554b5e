using FluentAssertions;
using Untangle.Contracts.Analysis;
using Xunit;

namespace Untangle.Tests.Analysis;

public class LinearProbeTests
{
    private static (float[][] Features, double[][] Hidden) Draw(int rows, int columns, int seed)
    {
        var random = new Random(seed);
        double Normal() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        var hidden = Enumerable.Range(0, rows).Select(_ => Enumerable.Range(0, columns).Select(_ => Normal()).ToArray()).ToArray();
        // Features: a fixed mixing of the hidden factors, scaled far from unit variance.
        var features = hidden.Select(h => Enumerable.Range(0, columns)
            .Select(j => (float)(100 * (h[j] + 0.5 * h[(j + 1) % columns]) + 7)).ToArray()).ToArray();
        return (features, hidden);
    }

    [Fact]
    public void Factors_a_representation_mixes_linearly_score_close_to_one()
    {
        var (features, hidden) = Draw(400, 4, seed: 1);
        LinearProbe.HeldOutRSquared(features, hidden, seed: 3).Should().BeGreaterThan(0.99);
    }

    [Fact]
    public void Independent_factors_score_close_to_zero()
    {
        var (features, _) = Draw(400, 4, seed: 1);
        var (_, unrelated) = Draw(400, 3, seed: 2);
        LinearProbe.HeldOutRSquared(features, unrelated, seed: 3).Should().BeInRange(-0.1, 0.05);
    }

    [Fact]
    public void Partly_explained_factors_score_in_between()
    {
        var (features, hidden) = Draw(600, 4, seed: 1);
        var (_, noise) = Draw(600, 4, seed: 5);
        // Target = factor + equal-variance noise: R² about 0.5.
        var target = hidden.Select((h, r) => new[] { h[0] + noise[r][0] }).ToArray();
        LinearProbe.HeldOutRSquared(features, target, seed: 3).Should().BeInRange(0.35, 0.65);
    }

    [Fact]
    public void Mismatched_row_counts_are_refused()
    {
        var (features, hidden) = Draw(10, 2, seed: 1);
        var act = () => LinearProbe.HeldOutRSquared(features, hidden[..9], seed: 1);
        act.Should().Throw<ArgumentException>().WithMessage("*10 rows*9*");
    }
}
