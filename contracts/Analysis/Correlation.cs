namespace Untangle.Contracts.Analysis;

/// <summary>Pearson's and Spearman's correlation, and the average ranks both the Spearman correlation and <see cref="RocAuc"/> use.</summary>
public static class Correlation
{
    /// <summary>Pearson's r; NaN where either side is constant or the lengths differ from 2 or more pairs.</summary>
    public static double Pearson(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        if (x.Count != y.Count) throw new ArgumentException($"a correlation needs pairs; got {x.Count} and {y.Count} values");
        if (x.Count < 2) return double.NaN;
        double mx = x.Average(), my = y.Average(), sxy = 0, sxx = 0, syy = 0;
        for (int i = 0; i < x.Count; i++)
        {
            double dx = x[i] - mx, dy = y[i] - my;
            sxy += dx * dy;
            sxx += dx * dx;
            syy += dy * dy;
        }
        return sxx > 0 && syy > 0 ? sxy / Math.Sqrt(sxx * syy) : double.NaN;
    }

    /// <summary>Spearman's ρ: Pearson's r of the average ranks.</summary>
    public static double Spearman(IReadOnlyList<double> x, IReadOnlyList<double> y) => Pearson(AverageRanks(x), AverageRanks(y));

    /// <summary>Ranks 1..n in ascending order; tied values share the average of their ranks.</summary>
    public static double[] AverageRanks(IReadOnlyList<double> values)
    {
        int n = values.Count;
        var order = Enumerable.Range(0, n).OrderBy(i => values[i]).ToArray();
        var ranks = new double[n];
        for (int start = 0; start < n;)
        {
            int end = start;
            while (end + 1 < n && values[order[end + 1]] == values[order[start]]) end++;
            for (int t = start; t <= end; t++) ranks[order[t]] = (start + end) / 2.0 + 1;
            start = end + 1;
        }
        return ranks;
    }
}
