using static TorchSharp.torch;

namespace Untangle.Plugins.DisentanglementLab;

/// <summary>
/// Column means and population standard deviations of the fitting rows, and rows standardised with
/// them as a float64 tensor (a constant column becomes 0), for the lab's regressions: one L2 or L1
/// strength then suits codes of any scale, as sklearn's StandardScaler before disentanglement_lib's fits.
/// </summary>
internal sealed record StandardisedColumns(double[] Mean, double[] Scale)
{
    public static StandardisedColumns Fit(double[][] rows)
    {
        int columns = rows[0].Length;
        var mean = new double[columns];
        var scale = new double[columns];
        foreach (var row in rows) for (int j = 0; j < columns; j++) mean[j] += row[j] / rows.Length;
        foreach (var row in rows) for (int j = 0; j < columns; j++) scale[j] += (row[j] - mean[j]) * (row[j] - mean[j]) / rows.Length;
        for (int j = 0; j < columns; j++) scale[j] = Math.Sqrt(scale[j]);
        return new StandardisedColumns(mean, scale);
    }

    /// <summary>(x − mean) / scale per column; 0 for a constant column.</summary>
    public double Apply(double value, int column) => Scale[column] > 0 ? (value - Mean[column]) / Scale[column] : 0;

    /// <summary>rows × columns, standardised, float64.</summary>
    public Tensor Tensor(double[][] rows)
    {
        int n = rows.Length, p = Mean.Length;
        var data = new double[n * p];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < p; j++) data[i * p + j] = Apply(rows[i][j], j);
        return tensor(data, [n, p]);
    }
}
