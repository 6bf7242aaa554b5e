using Untangle.Contracts.Training;
using static TorchSharp.torch;

namespace Untangle.Plugins.InfoBounds;

/// <summary>
/// PAMD's two losses between representation parts (Han et al., WWW 2022; specs/dcid-pamd.md),
/// as plain functions a method adds to its loss.
/// </summary>
public static class PartRegularisers
{
    /// <summary>
    /// L_ort = mean_i (a_i·b_i)²: zero when every row's two parts are orthogonal. PAMD pushes the
    /// modality-specific parts s_v, s_t apart with it. Also exported as the "orthogonality" estimator.
    /// </summary>
    public static Tensor SquaredDot(Tensor a, Tensor b)
    {
        PairedRows.Check("squared dot product", a, b, yDim: a.dim() == 2 ? a.shape[1] : null);
        return (a * b).sum([1]).Squared().mean();
    }

    /// <summary>
    /// L_sim = MSE(a, b) = mean over rows and columns of (a − b)² (PyTorch's default reduction): PAMD pulls
    /// the modality-common parts c_v, c_t together with it.
    /// </summary>
    /// <remarks>
    /// Not exported as an estimator: it rewards shared content (a method minimises it to make two parts
    /// agree), the opposite direction of an upper bound to minimise, so it cannot swap with CLUB in a slot.
    /// </remarks>
    public static Tensor Distance(Tensor a, Tensor b)
    {
        PairedRows.Check("distance", a, b, yDim: a.dim() == 2 ? a.shape[1] : null);
        return (a - b).Squared().mean();
    }
}
