namespace Untangle.Plugins.DisentanglementLab;

/// <summary>
/// Codes made discrete for the information-based metrics: each code column cut into
/// <see cref="Bins"/> equal-width bins between its smallest and largest value over the given rows, as
/// disentanglement_lib's histogram_discretize (np.histogram's edges, np.digitize on all but the last,
/// so the largest value falls in the last bin).
/// </summary>
public static class CodeBins
{
    public const int Bins = 20;

    /// <summary>codes × rows: column c's bin (0..bins−1) for each of <paramref name="rows"/>.</summary>
    public static int[][] Discretize(double[][] codes, int[] rows, int bins = Bins)
    {
        int columns = codes[rows[0]].Length;
        var result = new int[columns][];
        for (int c = 0; c < columns; c++)
        {
            double lo = double.PositiveInfinity, hi = double.NegativeInfinity;
            foreach (int r in rows) { lo = Math.Min(lo, codes[r][c]); hi = Math.Max(hi, codes[r][c]); }
            double width = (hi - lo) / bins;
            var column = result[c] = new int[rows.Length];
            for (int j = 0; j < rows.Length; j++)
                column[j] = width > 0 ? Math.Clamp((int)Math.Floor((codes[rows[j]][c] - lo) / width), 0, bins - 1) : 0;
        }
        return result;
    }

    /// <summary>factors × rows: each factor's level for each of <paramref name="rows"/>.</summary>
    public static int[][] FactorColumns(int[][] levels, int[] rows, int factors)
    {
        var result = new int[factors][];
        for (int f = 0; f < factors; f++)
        {
            result[f] = new int[rows.Length];
            for (int j = 0; j < rows.Length; j++) result[f][j] = levels[rows[j]][f];
        }
        return result;
    }
}
