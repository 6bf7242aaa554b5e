namespace Untangle.Contracts.Data;

/// <summary>
/// The true factors behind each user's behaviour, where a generator knows them (the synthetic reader):
/// one column per factor (<see cref="Names"/>), as values (<see cref="Values"/>, users × factors) and as
/// discrete levels (<see cref="Levels"/>, 0 ≤ level &lt; <see cref="LevelCounts"/>[factor]), in the data
/// set's user index space. The disentanglement metrics of Locatello et al. (ICML 2019) compare a
/// method's user codes with these columns; those that need discrete factors (MIG, modularity,
/// explicitness, FactorVAE and β-VAE scores) read the levels.
/// </summary>
/// <param name="Names">One name per factor ("strength:intent0", "preference:intent0:0", ...).</param>
/// <param name="Values">Users × factors: each factor's value.</param>
/// <param name="Levels">Users × factors: each factor's discrete level.</param>
/// <param name="LevelCounts">Per factor: how many levels it has.</param>
/// <param name="Independent">True when the factors were drawn independently of each other, as the
/// metrics assume (dataset.user_factors=independent); false for the Dirichlet regime, whose mixture
/// weights sum to one and so are dependent.</param>
public sealed record UserFactorTruth(string[] Names, double[][] Values, int[][] Levels, int[] LevelCounts, bool Independent)
{
    public const string ExtrasKey = "truth.user_factors";

    public int FactorCount => Names.Length;

    /// <summary>The truth the data set carries, or null (real data sets have none).</summary>
    public static UserFactorTruth? Of(Dataset dataset) =>
        dataset.Extras.TryGetValue(ExtrasKey, out var value) ? value as UserFactorTruth : null;
}
