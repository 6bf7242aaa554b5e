namespace Untangle.Plugins.FairMi;

/// <summary>
/// The Jensen–Shannon distance between count vectors normalised to distributions, in natural log
/// (as scipy.spatial.distance.jensenshannon, which FairMI's evaluation calls): the square root of
/// JS(P‖Q) = ½ KL(P‖M) + ½ KL(Q‖M), M = ½(P + Q). It lies in [0, √ln 2].
/// </summary>
/// <remarks>
/// For more than two groups (a multi-class attribute such as the age bucket) it is the generalised
/// JS divergence with equal weights, H(mean P_g) − mean H(P_g), whose square root is the same
/// distance when there are two. Groups with no counts (no member was counted, or no member had a hit)
/// are left out; fewer than two groups with counts give NaN, since there is nothing to compare.
/// </remarks>
public static class JensenShannon
{
    public static double Distance(IReadOnlyList<double[]> counts)
    {
        var present = counts.Where(c => c.Sum() > 0).ToList();
        if (present.Count < 2) return double.NaN;
        int items = present[0].Length;
        var distributions = present.Select(c => { double total = c.Sum(); return c.Select(v => v / total).ToArray(); }).ToList();
        var mixture = new double[items];
        foreach (var p in distributions)
            for (int i = 0; i < items; i++) mixture[i] += p[i] / distributions.Count;
        double divergence = Entropy(mixture) - distributions.Average(Entropy);
        // Rounding can make a zero divergence slightly negative.
        return Math.Sqrt(Math.Max(0, divergence));
    }

    private static double Entropy(double[] p)
    {
        double h = 0;
        foreach (var v in p)
            if (v > 0) h -= v * Math.Log(v);
        return h;
    }
}
