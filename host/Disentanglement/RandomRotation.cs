namespace Untangle.Host.Disentanglement;

/// <summary>
/// A random orthogonal matrix, uniform over rotations (Haar): Gram–Schmidt on a matrix of N(0, 1)
/// entries (Mezzadri 2007, "How to generate random matrices from the classical compact groups").
/// The lab scores every representation again after rotating its codes by one: a rotation keeps all
/// the information and the distances but not the axes, so a score that falls under rotation was
/// earned by codes aligned with the factors (the "_rotated" keys).
/// </summary>
internal static class RandomRotation
{
    /// <summary>dims × dims, rows orthonormal.</summary>
    public static double[][] Draw(int dims, int seed)
    {
        var random = new Random(seed);
        var q = new double[dims][];
        for (int i = 0; i < dims; i++)
        {
            double[] v;
            double norm;
            do
            {
                v = new double[dims];
                for (int j = 0; j < dims; j++) v[j] = Normal(random);
                for (int k = 0; k < i; k++)
                {
                    double dot = 0;
                    for (int j = 0; j < dims; j++) dot += v[j] * q[k][j];
                    for (int j = 0; j < dims; j++) v[j] -= dot * q[k][j];
                }
                norm = Math.Sqrt(v.Sum(x => x * x));
            } while (norm < 1e-8);
            for (int j = 0; j < dims; j++) v[j] /= norm;
            q[i] = v;
        }
        return q;
    }

    /// <summary>codes · Qᵀ: each row rotated.</summary>
    public static double[][] Apply(double[][] codes, double[][] rotation)
    {
        int dims = rotation.Length;
        var result = new double[codes.Length][];
        Parallel.For(0, codes.Length, r =>
        {
            var row = new double[dims];
            for (int i = 0; i < dims; i++)
            {
                double s = 0;
                for (int j = 0; j < dims; j++) s += rotation[i][j] * codes[r][j];
                row[i] = s;
            }
            result[r] = row;
        });
        return result;
    }

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
