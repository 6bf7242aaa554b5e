using TorchSharp;
using static TorchSharp.torch;

namespace Untangle.Plugins.VaeCF;

/// <summary>
/// TorchSharp Scalars that outlive the native calls they are passed to, for the per-batch code.
/// </summary>
/// <remarks>
/// TorchSharp turns every number in tensor arithmetic (x * 0.5, x / τ, clamp_min(1e-12)) and the
/// implicit alpha = 1 of tensor + tensor into a temporary Scalar that only the finalizer frees. A
/// collection while libtorch is still reading that Scalar frees it under the call, and the run fails
/// at random ("Expected false to be true ... toFloat", THSTensor_add or THSTensor_mul_scalar; it hit
/// about one 200-epoch MovieLens run in fifteen here before this; dotnet/TorchSharp PR #1434, open).
/// So the per-batch code passes these static Scalars, or <c>using</c> Scalars for run-time numbers
/// (alive until the end of their block), and adds tensors with the contracts' HeldScalars.Plus. Tensor − tensor,
/// tensor * tensor and unary minus take no Scalar and stay as operators.
/// </remarks>
public static class StableScalar
{
    public static readonly Scalar One = 1.ToScalar(); // an integer, so it also serves int64 index arithmetic
    public static readonly Scalar Half = 0.5.ToScalar();
    /// <summary>The epsilon of tf.nn.l2_normalize: x / sqrt(max(Σx², 1e-12)).</summary>
    public static readonly Scalar NormEpsilon = 1e-12.ToScalar();
}
