using TorchSharp;
using static TorchSharp.torch;

namespace Untangle.Contracts.Training;

/// <summary>
/// Tensor arithmetic with numbers, without TorchSharp's temporary Scalars, for per-batch code.
/// </summary>
/// <remarks>
/// TorchSharp turns every number in tensor arithmetic (x * 0.5, x / τ, x - 1) and the implicit
/// alpha = 1 of tensor + tensor into a temporary Scalar that only its finalizer frees; the JIT may
/// consider it dead once its handle is passed to libtorch, so a collection during the native call can
/// free it under the call and fail the run at random ("Expected false to be true ... toFloat";
/// dotnet/TorchSharp PR #1434, open). These helpers pass static Scalars or keep a <c>using</c> Scalar
/// alive until the native call has returned. Tensor − tensor, tensor * tensor and unary minus take no
/// Scalar and can stay operators.
/// </remarks>
public static class HeldScalars
{
    public static readonly Scalar One = 1.ToScalar(); // an integer, so it also serves int64 arithmetic
    public static readonly Scalar Zero = 0.ToScalar();
    public static readonly Scalar MinusInfinity = double.NegativeInfinity.ToScalar();
    public static readonly Scalar Two = 2.ToScalar();

    /// <summary>
    /// t², elementwise. TorchSharp's own <c>square()</c> is <c>pow(2)</c> with a temporary Scalar, the
    /// very failure above (seen: "INTERNAL ASSERT FAILED at c10/core/Scalar.h" inside
    /// THSTensor_pow_scalar, 67 epochs into a DGCF run); this is the same pow with a held exponent, so
    /// the bits are the same.
    /// </summary>
    public static Tensor Squared(this Tensor t) => t.pow(Two);

    /// <summary>a + b.</summary>
    public static Tensor Plus(this Tensor a, Tensor b) => a.add(b, One);

    /// <summary>t · factor.</summary>
    public static Tensor Times(this Tensor t, double factor)
    {
        using var s = factor.ToScalar();
        return t.mul(s);
    }

    /// <summary>t / divisor.</summary>
    public static Tensor Over(this Tensor t, double divisor)
    {
        using var s = divisor.ToScalar();
        return t.div(s);
    }

    /// <summary>a · wa + b · wb, with one Scalar held per weight.</summary>
    public static Tensor Blend(this Tensor a, double wa, Tensor b, double wb) => a.Times(wa).Plus(b.Times(wb));

    /// <summary>t + value (elementwise).</summary>
    public static Tensor PlusValue(this Tensor t, double value)
    {
        using var s = value.ToScalar();
        return t.add(s);
    }
}
