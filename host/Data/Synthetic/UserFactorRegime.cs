using Untangle.Contracts.Data;

namespace Untangle.Host.Data.Synthetic;

/// <summary>
/// How the synthetic users' factors are drawn (dataset.user_factors):
/// <list type="bullet">
/// <item><c>dirichlet</c> (the default): mix_u ~ Dirichlet(user_concentration) and pref_{u,k} ~ N(0, I).
/// The factors reported to the disentanglement lab are the K mixture weights ("mixture:intentk", which
/// sum to one, so they are not independent) and the K·d preference coordinates; their levels are
/// <c>factor_levels</c> quantile bins over the users.</item>
/// <item><c>independent</c>: every factor is drawn on its own, uniformly from <c>factor_levels</c> values,
/// as the metrics of Locatello et al. (ICML 2019) and disentanglement_lib's data sets assume: K intent
/// strengths s_{u,k} on an even grid over [−strength_scale, strength_scale], mixed as
/// mix_u = softmax(s_u), and K·d preference coordinates on an even grid with mean 0 and variance close to 1
/// ((2(l + ½)/L − 1)·√3 for level l of L, the discrete uniform whose variance is (1 − 1/L²)).
/// Softmax leaves out one direction of s (adding a constant to every s_{u,k}); with K ≥ 2 each
/// strength still moves the mixture.</item>
/// </list>
/// </summary>
internal static class UserFactorRegime
{
    public const string Dirichlet = "dirichlet", Independent = "independent";
    public static readonly string[] Names = [Dirichlet, Independent];

    /// <summary>Draws every user's mixture and preferences from <paramref name="draws"/>; returns them with the factor truth.</summary>
    public static (double[][] Mixtures, double[][][] Preferences, UserFactorTruth Truth) Draw(RandomDraws draws, SyntheticParameters p)
    {
        var mixtures = new double[p.Users][];
        var preferences = new double[p.Users][][];
        var names = FactorNames(p);
        int factors = names.Length;
        var values = new double[p.Users][];
        int levels = p.FactorLevels;
        if (p.UserFactors == Independent)
        {
            var codes = new int[p.Users][];
            for (int u = 0; u < p.Users; u++)
            {
                var code = codes[u] = new int[factors];
                var value = values[u] = new double[factors];
                for (int f = 0; f < factors; f++) code[f] = draws.Next(levels);
                var strengths = new double[p.Intents];
                for (int k = 0; k < p.Intents; k++)
                    value[k] = strengths[k] = p.StrengthScale * GridPoint(code[k], levels);
                mixtures[u] = Softmax(strengths);
                preferences[u] = new double[p.Intents][];
                for (int k = 0; k < p.Intents; k++)
                {
                    var pref = preferences[u][k] = new double[p.FactorDim];
                    for (int j = 0; j < p.FactorDim; j++)
                    {
                        int f = p.Intents + k * p.FactorDim + j;
                        value[f] = pref[j] = Math.Sqrt(3) * GridPoint(code[f], levels);
                    }
                }
            }
            return (mixtures, preferences, new UserFactorTruth(names, values, codes, Enumerable.Repeat(levels, factors).ToArray(), Independent: true));
        }

        for (int u = 0; u < p.Users; u++)
        {
            mixtures[u] = draws.Dirichlet(p.UserConcentration, p.Intents);
            preferences[u] = SyntheticGenerator.Rows(p.Intents, () => draws.NormalVector(p.FactorDim));
            var value = values[u] = new double[factors];
            for (int k = 0; k < p.Intents; k++) value[k] = mixtures[u][k];
            for (int k = 0; k < p.Intents; k++)
                for (int j = 0; j < p.FactorDim; j++) value[p.Intents + k * p.FactorDim + j] = preferences[u][k][j];
        }
        var (levelCodes, counts) = QuantileLevels(values, factors, levels);
        return (mixtures, preferences, new UserFactorTruth(names, values, levelCodes, counts, Independent: false));
    }

    /// <summary>"strength:intentk" (independent) or "mixture:intentk" (dirichlet) for each intent, then "preference:intentk:j".</summary>
    public static string[] FactorNames(SyntheticParameters p)
    {
        string first = p.UserFactors == Independent ? "strength" : "mixture";
        var names = new List<string>();
        for (int k = 0; k < p.Intents; k++) names.Add($"{first}:intent{k}");
        for (int k = 0; k < p.Intents; k++)
            for (int j = 0; j < p.FactorDim; j++) names.Add($"preference:intent{k}:{j}");
        return [.. names];
    }

    /// <summary>Level l of L evenly spaced in [−1, 1]: 2(l + ½)/L − 1.</summary>
    private static double GridPoint(int level, int levels) => 2.0 * (level + 0.5) / levels - 1.0;

    private static double[] Softmax(double[] s)
    {
        double max = s.Max();
        var e = s.Select(x => Math.Exp(x - max)).ToArray();
        double sum = e.Sum();
        return e.Select(x => x / sum).ToArray();
    }

    /// <summary>
    /// Each factor's levels as up to <paramref name="levels"/> bins of equal user counts (ties keep one
    /// bin: a bin edge never splits equal values); the count of bins actually used per factor.
    /// </summary>
    private static (int[][] Codes, int[] Counts) QuantileLevels(double[][] values, int factors, int levels)
    {
        int n = values.Length;
        var codes = new int[n][];
        for (int u = 0; u < n; u++) codes[u] = new int[factors];
        var counts = new int[factors];
        var order = new int[n];
        for (int f = 0; f < factors; f++)
        {
            for (int u = 0; u < n; u++) order[u] = u;
            Array.Sort(order, (a, b) => values[a][f].CompareTo(values[b][f]));
            int bin = 0;
            for (int r = 0; r < n; r++)
            {
                int wanted = (int)((long)r * levels / n);
                // Advance the bin only where the value changes, so equal values share a level.
                if (wanted > bin && values[order[r]][f] != values[order[r - 1]][f]) bin = wanted;
                codes[order[r]][f] = bin;
            }
            // Renumber the bins used as 0..count−1.
            var used = codes.Select(c => c[f]).Distinct().Order().Select((b, i) => (b, i)).ToDictionary(x => x.b, x => x.i);
            for (int u = 0; u < n; u++) codes[u][f] = used[codes[u][f]];
            counts[f] = used.Count;
        }
        return (codes, counts);
    }
}
