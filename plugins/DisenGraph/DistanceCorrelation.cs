using TorchSharp;
using Untangle.Contracts.Training;
using static TorchSharp.torch;

namespace Untangle.Plugins.DisenGraph;

/// <summary>
/// Székely, Rizzo and Bakirov's distance correlation (Ann. Statist. 2007) between two samples of
/// equal size, as DGCF's independence modelling uses it (Wang et al., SIGIR 2020, independence modeling),
/// and the intent-independence loss built from it.
/// </summary>
/// <remarks>
/// Computed as the official code's <c>_create_distance_correlation</c> (V-statistics, n² in the
/// denominators), including its small constants, so that the loss's scale matches the official
/// corDecay:
/// <code>
///     D_ij  = √(max(‖x_i‖² − 2 x_iᵀx_j + ‖x_j‖², 0) + 1e-8),   then double-centred
///     dCov  = √(max(Σ_ij D¹_ij D²_ij / n², 0) + 1e-8)
///     dCor  = dCov(1,2) / (√(max(dCov(1,1) · dCov(2,2), 0)) + 1e-10)
/// </code>
/// </remarks>
public static class DistanceCorrelation
{
    private static readonly Scalar Zero = 0.ToScalar();
    private static readonly Scalar DistanceFloor = 1e-8.ToScalar();
    private static readonly Scalar CovarianceFloor = 1e-8.ToScalar();
    private static readonly Scalar CorrelationFloor = 1e-10.ToScalar();

    /// <summary>dCor between the rows of <paramref name="x"/> and <paramref name="y"/> (n × p and n × q), a differentiable scalar.</summary>
    public static Tensor Of(Tensor x, Tensor y)
    {
        if (x.shape[0] != y.shape[0])
            throw new ArgumentException($"distance correlation needs paired samples; got {x.shape[0]} and {y.shape[0]} rows");
        var a = CentredDistances(x);
        var b = CentredDistances(y);
        return Correlation(a, Covariance(a, a), b, Covariance(b, b));
    }

    /// <summary>
    /// DGCF's independence loss (as the official <c>create_cor_loss</c> computes it): the rows
    /// cut into K chunks of d/K, dCor summed over neighbouring chunks (k, k+1) only, divided by
    /// (K + 1) K / 2. The paper writes a sum over all pairs k &lt; k'; the official code's
    /// neighbouring pairs and divisor are kept so that its corDecay keeps its meaning.
    /// K = 1 gives 0.
    /// </summary>
    public static Tensor IntentLoss(Tensor rows, int intents)
    {
        if (rows.shape[1] % intents != 0)
            throw new ArgumentException($"embedding size {rows.shape[1]} does not split into {intents} intents");
        // Each chunk's centred distances and dCov with itself are computed once, though the chunk
        // stands in two pairs (k − 1, k) and (k, k + 1).
        var centred = rows.chunk(intents, 1).Select(CentredDistances).ToArray();
        var self = centred.Select(d => Covariance(d, d)).ToArray();
        var sum = zeros([], dtype: rows.dtype, device: rows.device);
        for (int k = 0; k + 1 < intents; k++)
            sum = sum.Plus(Correlation(centred[k], self[k], centred[k + 1], self[k + 1]));
        return sum.Over((intents + 1.0) * intents / 2.0);
    }

    /// <summary>dCov(a, b) / (√(max(dCov(a, a) · dCov(b, b), 0)) + 1e-10), from the centred distance matrices.</summary>
    private static Tensor Correlation(Tensor a, Tensor aa, Tensor b, Tensor bb) =>
        Covariance(a, b) / (aa * bb).clamp_min(Zero).sqrt().add(CorrelationFloor);

    private static Tensor CentredDistances(Tensor x)
    {
        var r = x.Squared().sum(1, keepdim: true);
        var squared = (r - x.mm(x.t()).Times(2)).Plus(r.t());
        var d = squared.clamp_min(Zero).add(DistanceFloor).sqrt();
        return (d - d.mean([0], keepdim: true) - d.mean([1], keepdim: true)).Plus(d.mean());
    }

    private static Tensor Covariance(Tensor a, Tensor b) =>
        (a * b).sum().Over((double)a.shape[0] * a.shape[0]).clamp_min(Zero).add(CovarianceFloor).sqrt();
}
