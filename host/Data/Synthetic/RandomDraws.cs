namespace Untangle.Host.Data.Synthetic;

/// <summary>
/// The synthetic generator's only source of randomness: a seeded <see cref="System.Random"/> with the
/// samplers written out (Box–Muller normals, Marsaglia–Tsang gammas, Dirichlet by normalised gammas,
/// geometric by inversion), so a seed fixes the data exactly and nothing depends on TorchSharp's or
/// a library's generator.
/// </summary>
internal sealed class RandomDraws(int seed)
{
    private readonly Random _random = new(seed);
    private double? _spareNormal;

    /// <summary>Uniform on [0, 1).</summary>
    public double Uniform() => _random.NextDouble();

    /// <summary>Uniform on (0, 1], safe to take the logarithm of.</summary>
    public double UniformPositive() => 1.0 - _random.NextDouble();

    public int Next(int n) => _random.Next(n);

    public bool Coin(double p) => _random.NextDouble() < p;

    /// <summary>Standard normal by Box–Muller; the second value of each pair is kept for the next call.</summary>
    public double Normal()
    {
        if (_spareNormal is { } spare)
        {
            _spareNormal = null;
            return spare;
        }
        double radius = Math.Sqrt(-2.0 * Math.Log(UniformPositive()));
        double angle = 2.0 * Math.PI * Uniform();
        _spareNormal = radius * Math.Sin(angle);
        return radius * Math.Cos(angle);
    }

    /// <summary>A vector of independent N(0, scale²) entries.</summary>
    public double[] NormalVector(int length, double scale = 1.0)
    {
        var v = new double[length];
        for (int i = 0; i < length; i++) v[i] = scale * Normal();
        return v;
    }

    /// <summary>
    /// Gamma(shape, 1) by Marsaglia and Tsang (2000), "A simple method for generating gamma
    /// variables"; for shape &lt; 1 the usual boost Gamma(shape + 1) · U^(1/shape).
    /// </summary>
    public double Gamma(double shape)
    {
        if (shape < 1) return Gamma(shape + 1) * Math.Pow(UniformPositive(), 1.0 / shape);
        double d = shape - 1.0 / 3.0, c = 1.0 / Math.Sqrt(9.0 * d);
        while (true)
        {
            double x = Normal();
            double v = 1.0 + c * x;
            if (v <= 0) continue;
            v = v * v * v;
            double u = UniformPositive();
            if (u < 1.0 - 0.0331 * x * x * x * x) return d * v;
            if (Math.Log(u) < 0.5 * x * x + d * (1.0 - v + Math.Log(v))) return d * v;
        }
    }

    /// <summary>Symmetric Dirichlet(alpha, ..., alpha) over <paramref name="k"/> components.</summary>
    public double[] Dirichlet(double alpha, int k)
    {
        var g = new double[k];
        double sum = 0;
        for (int i = 0; i < k; i++) sum += g[i] = Gamma(alpha);
        if (sum <= 0)
        {
            // Every gamma underflowed (only possible for a tiny alpha): the limit is a one-hot mixture.
            g[Next(k)] = 1;
            return g;
        }
        for (int i = 0; i < k; i++) g[i] /= sum;
        return g;
    }

    /// <summary>Number of failures before the first success, with the given mean (p = 1 / (1 + mean)); 0 when mean is 0.</summary>
    public int Geometric(double mean)
    {
        if (mean <= 0) return 0;
        double p = 1.0 / (1.0 + mean);
        return (int)Math.Min(int.MaxValue, Math.Floor(Math.Log(UniformPositive()) / Math.Log(1.0 - p)));
    }

    /// <summary>Fisher–Yates: for i = n-1 down to 1, swap item i with item Next(i + 1).</summary>
    public void Shuffle<T>(Span<T> items)
    {
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = _random.Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}
