namespace Untangle.Contracts.Analysis;

/// <summary>
/// Column means and standard deviations of the training rows, applied to any rows: probes fit on
/// standardised features so that one ridge strength or step size suits representations of any scale.
/// A constant column (std below 1e-12) is centred and left at scale 1.
/// </summary>
internal sealed class Standardizer
{
    private readonly double[] _mean;
    private readonly double[] _scale;

    private Standardizer(double[] mean, double[] scale) { _mean = mean; _scale = scale; }

    public int Columns => _mean.Length;

    public static Standardizer Fit(float[][] rows, IReadOnlyList<int> fitRows)
    {
        int p = rows[fitRows[0]].Length;
        var mean = new double[p];
        var scale = new double[p];
        foreach (int r in fitRows)
            for (int j = 0; j < p; j++) mean[j] += rows[r][j];
        for (int j = 0; j < p; j++) mean[j] /= fitRows.Count;
        foreach (int r in fitRows)
            for (int j = 0; j < p; j++) { double d = rows[r][j] - mean[j]; scale[j] += d * d; }
        for (int j = 0; j < p; j++)
        {
            double sd = Math.Sqrt(scale[j] / fitRows.Count);
            scale[j] = sd < 1e-12 ? 1 : sd;
        }
        return new Standardizer(mean, scale);
    }

    public double[] Apply(float[] row)
    {
        if (row.Length != _mean.Length)
            throw new ArgumentException($"a row has {row.Length} columns; the probe was fit on {_mean.Length}");
        var z = new double[row.Length];
        for (int j = 0; j < z.Length; j++) z[j] = (row[j] - _mean[j]) / _scale[j];
        return z;
    }
}
