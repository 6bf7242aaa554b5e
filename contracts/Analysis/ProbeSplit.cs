namespace Untangle.Contracts.Analysis;

/// <summary>A seeded random split of row indices into a fitting part and a held-out part.</summary>
public static class ProbeSplit
{
    public static (int[] Fit, int[] HeldOut) Of(int rows, int seed, double trainFraction)
    {
        if (rows < 4) throw new ArgumentException($"a probe needs at least 4 rows, got {rows}");
        if (trainFraction is <= 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(trainFraction), trainFraction, "expected a fraction in (0, 1)");
        var order = Enumerable.Range(0, rows).ToArray();
        new Random(seed).Shuffle(order);
        int fit = Math.Clamp((int)Math.Round(rows * trainFraction), 2, rows - 2);
        return (order[..fit], order[fit..]);
    }
}
