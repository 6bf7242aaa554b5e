using static TorchSharp.torch;

namespace Untangle.Plugins.InfoBounds;

/// <summary>
/// The known truth the estimators are checked against (specs/mi-estimators.md): x, y ∈ R^d jointly
/// Gaussian, standard normal marginals, independent dimensions, correlation ρ between x_k and y_k:
/// I(x; y) = −(d/2)·log(1 − ρ²) nats.
/// </summary>
public sealed record CorrelatedGaussian
{
    public CorrelatedGaussian(int dimension, double correlation)
    {
        if (dimension < 1) throw new ArgumentOutOfRangeException(nameof(dimension), $"the dimension must be >= 1, got {dimension}");
        if (!(Math.Abs(correlation) < 1)) throw new ArgumentOutOfRangeException(nameof(correlation), $"the correlation must lie in (-1, 1), got {correlation}");
        Dimension = dimension;
        Correlation = correlation;
    }

    public int Dimension { get; }
    public double Correlation { get; }

    /// <summary>I(x; y) in nats.</summary>
    public double TrueInformation => Dimension * InformationOfCorrelation(Correlation);

    /// <summary>I = −½·log(1 − r²) = ½·log(1/(1 − r²)): the mutual information of two jointly Gaussian scalars with correlation r.</summary>
    public static double InformationOfCorrelation(double r) => 0.5 * Math.Log(1 / (1 - r * r)); // +0 (not −0) at r = 0

    /// <summary>
    /// CLUB's value when q(y|x) is the best Gaussian its tanh-bounded log-variance allows:
    /// q = N(ρx, v) with v = max(1 − ρ², e^−1), so per dimension
    /// (E_p(x)p(y)[(y − ρx)²] − E_p(x,y)[(y − ρx)²]) / 2v = ((1 + ρ²) − (1 − ρ²)) / 2v = ρ²/v.
    /// Above the truth for every ρ ≠ 0 (ρ²/(1 − ρ²) ≥ −½·log(1 − ρ²)); a fitted CLUB should land near it.
    /// </summary>
    public double ClubWithBestQ => Dimension * Correlation * Correlation / Math.Max(1 - Correlation * Correlation, Math.Exp(-1));

    /// <summary><paramref name="rows"/> pairs: x ~ N(0, I), y = ρ·x + √(1 − ρ²)·ε, drawn from TorchSharp's global generator.</summary>
    public (Tensor X, Tensor Y) Sample(long rows, Device device)
    {
        var x = randn([rows, Dimension], device: device);
        var noise = randn([rows, Dimension], device: device);
        var y = Correlation * x + Math.Sqrt(1 - Correlation * Correlation) * noise;
        return (x, y);
    }
}
