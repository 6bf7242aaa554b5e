namespace Untangle.Contracts.Analysis;

/// <summary>
/// What a disentanglement metric scores: one representation's codes of n users beside their true
/// factors, and a seeded split of the rows into the part a metric may fit an estimator on
/// (<see cref="FitRows"/>: trees, classifiers, bin edges) and the held-out part it reports on
/// (<see cref="ScoreRows"/>), as disentanglement_lib's num_train / num_test points.
/// </summary>
public sealed class FactorCodes
{
    /// <summary>n × codes.</summary>
    public required double[][] Codes { get; init; }
    /// <summary>n × factors, continuous values.</summary>
    public required double[][] Factors { get; init; }
    /// <summary>n × factors, discrete levels 0 ≤ level &lt; <see cref="LevelCounts"/>[factor].</summary>
    public required int[][] Levels { get; init; }
    public required int[] LevelCounts { get; init; }
    public required string[] FactorNames { get; init; }
    public required int[] FitRows { get; init; }
    public required int[] ScoreRows { get; init; }
    /// <summary>Seed for anything a metric samples (votes, pairs, initialisation).</summary>
    public required int Seed { get; init; }
    /// <summary>Whether the factors were drawn independently (the sampling-based scores assume it).</summary>
    public required bool IndependentFactors { get; init; }

    public int Rows => Codes.Length;
    public int CodeCount => Codes.Length == 0 ? 0 : Codes[0].Length;
    public int FactorCount => FactorNames.Length;

    /// <summary>The same users with other codes (a rotation of these), the split, truth and seed kept.</summary>
    public FactorCodes WithCodes(double[][] codes) => new()
    {
        Codes = codes, Factors = Factors, Levels = Levels, LevelCounts = LevelCounts, FactorNames = FactorNames,
        FitRows = FitRows, ScoreRows = ScoreRows, Seed = Seed, IndependentFactors = IndependentFactors,
    };
}

/// <summary>
/// A disentanglement metric (exported with <c>[ExportComponent(ComponentKind.DisentanglementMetric, "mig")]</c>):
/// scores codes against true factors and returns one or more named values (DCI returns
/// dci_disentanglement, dci_completeness and dci_informativeness). Stateless.
/// </summary>
public interface IDisentanglementMetric
{
    IReadOnlyDictionary<string, double> Score(FactorCodes data);
}
