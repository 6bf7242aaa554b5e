using Untangle.Contracts.Analysis;

namespace Untangle.Plugins.DisentanglementLab.Tests;

/// <summary>
/// Hand-made users: F independent factors, each uniform over L levels (value = level), and codes
/// made from them the way disentanglement_lib's tests make theirs: the identity, the identity with
/// its columns permuted or duplicated, codes independent of the factors, and a full mixing.
/// </summary>
internal static class HandMadeCodes
{
    public const int Users = 1500, Factors = 4, Levels = 8;

    public static FactorCodes Truth(Func<double[], double[]> code, int seed = 7)
    {
        var random = new Random(seed);
        var levels = new int[Users][];
        var values = new double[Users][];
        var codes = new double[Users][];
        for (int u = 0; u < Users; u++)
        {
            levels[u] = Enumerable.Range(0, Factors).Select(_ => random.Next(Levels)).ToArray();
            values[u] = levels[u].Select(l => (double)l).ToArray();
            codes[u] = code(values[u]);
        }
        var order = Enumerable.Range(0, Users).ToArray();
        random.Shuffle(order);
        return new FactorCodes
        {
            Codes = codes, Factors = values, Levels = levels, LevelCounts = Enumerable.Repeat(Levels, Factors).ToArray(),
            FactorNames = Enumerable.Range(0, Factors).Select(f => $"f{f}").ToArray(),
            FitRows = [.. order[..1000].Order()], ScoreRows = [.. order[1000..].Order()], Seed = seed, IndependentFactors = true,
        };
    }

    public static FactorCodes Identity() => Truth(v => v.ToArray());

    /// <summary>The identity's columns in another order (f2, f0, f3, f1).</summary>
    public static FactorCodes Permuted() => Truth(v => [v[2], v[0], v[3], v[1]]);

    /// <summary>Each factor twice: two codes carry the same information.</summary>
    public static FactorCodes Duplicated() => Truth(v => v.Concat(v).ToArray());

    /// <summary>Codes drawn independently of the factors.</summary>
    public static FactorCodes Random(int seed = 11)
    {
        var noise = new Random(seed);
        return Truth(_ => Enumerable.Range(0, Factors).Select(_ => noise.NextDouble()).ToArray());
    }

    /// <summary>
    /// Every code the same mix of every factor with equal weights up to sign (a Hadamard rotation):
    /// all the information is there, none of it on its own axis.
    /// </summary>
    public static FactorCodes Mixed() => Truth(v =>
    [
        v[0] + v[1] + v[2] + v[3],
        v[0] - v[1] + v[2] - v[3],
        v[0] + v[1] - v[2] - v[3],
        v[0] - v[1] - v[2] + v[3],
    ]);
}
