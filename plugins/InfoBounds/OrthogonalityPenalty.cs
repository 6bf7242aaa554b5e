using Untangle.Contracts.Components;
using static TorchSharp.torch;

namespace Untangle.Plugins.InfoBounds;

/// <summary>
/// "orthogonality": PAMD's L_ort = mean_i (x_i·y_i)² (<see cref="PartRegularisers.SquaredDot"/>) behind the
/// estimator interface, so that a method's "push these two parts apart" slot can hold either this or
/// CLUB (Han et al., WWW 2022; specs/dcid-pamd.md).
/// </summary>
/// <remarks>
/// It is a proxy, not a mutual-information bound: Bound is <see cref="InformationBound.Estimate"/>, the
/// value is in squared-embedding units (not nats), and zero means row-wise orthogonal parts, which does
/// not imply independence. It has no network, so a method's estimator step helper adds no step for it.
/// </remarks>
public sealed class OrthogonalityPenalty : IMutualInformationEstimator
{
    /// <summary>Estimate: a dependence proxy, neither an upper nor a lower bound.</summary>
    public InformationBound Bound => InformationBound.Estimate;

    public nn.Module? Module => null;

    public Tensor? LearningLoss(Tensor x, Tensor y) => null;

    /// <summary>mean_i (x_i·y_i)²; <paramref name="condition"/> is ignored.</summary>
    public Tensor Estimate(Tensor x, Tensor y, Tensor? condition = null) => PartRegularisers.SquaredDot(x, y);

    public void Dispose() { }
}
