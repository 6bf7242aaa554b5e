namespace Untangle.Plugins.DisentanglementLab;

/// <summary>
/// Entropy and mutual information of discrete variables from their empirical joint distribution, in
/// nats (sklearn's mutual_info_score and disentanglement_lib's discrete_entropy).
/// </summary>
public static class DiscreteInformation
{
    /// <summary>H(a) = −Σ p log p.</summary>
    public static double Entropy(int[] a)
    {
        var counts = new Dictionary<int, int>();
        foreach (var x in a) counts[x] = counts.GetValueOrDefault(x) + 1;
        double n = a.Length, h = 0;
        foreach (var c in counts.Values) h -= c / n * Math.Log(c / n);
        return h;
    }

    /// <summary>I(a; b) = Σ p(a, b) log(p(a, b) / (p(a) p(b))), never below 0. Values are small non-negative codes (bins, levels).</summary>
    public static double Mutual(int[] a, int[] b)
    {
        if (a.Length != b.Length) throw new ArgumentException($"mutual information needs equal lengths; got {a.Length} and {b.Length}");
        int na = a.Max() + 1, nb = b.Max() + 1;
        var joint = new int[na * nb];
        var ca = new int[na];
        var cb = new int[nb];
        for (int i = 0; i < a.Length; i++)
        {
            joint[a[i] * nb + b[i]]++;
            ca[a[i]]++;
            cb[b[i]]++;
        }
        double n = a.Length, mi = 0;
        for (int x = 0; x < na; x++)
            for (int y = 0; y < nb; y++)
            {
                int c = joint[x * nb + y];
                if (c > 0) mi += c / n * Math.Log(c * n / ((double)ca[x] * cb[y]));
            }
        return Math.Max(0, mi);
    }

    /// <summary>codes × factors: I(code_c; factor_f).</summary>
    public static double[,] Matrix(int[][] codes, int[][] factors)
    {
        var m = new double[codes.Length, factors.Length];
        Parallel.For(0, codes.Length, c =>
        {
            for (int f = 0; f < factors.Length; f++) m[c, f] = Mutual(codes[c], factors[f]);
        });
        return m;
    }
}
