using TorchSharp;

namespace Untangle.Plugins.Mmssl;

/// <summary>
/// Scalars that outlive the native calls they are passed to (the pattern of VaeCF's StableScalar and
/// the evaluator's held Scalars).
/// </summary>
/// <remarks>
/// TorchSharp turns every number in tensor arithmetic (x * 0.5, 1 - x, x + 1e-20) and the implicit
/// alpha = 1 of tensor + tensor into a temporary Scalar that only the finalizer frees; a collection
/// while libtorch still reads it fails the run at random ("Expected false to be true ... toFloat",
/// from Scalar.h; an MMSSL run on the sparse synthetic data hit it at <c>1 - KnownRows</c> in its
/// 13th epoch). MMSSL's per-batch code therefore adds tensors with <c>a.add(b, One)</c>, scales with
/// <c>a.add(b, weight)</c> or <c>a.mul(weight)</c> where the weight is a Scalar held by the model or
/// a <c>using</c> local, and never writes a number into an operator. Tensor − tensor, tensor * tensor
/// and unary minus take no Scalar.
/// </remarks>
public static class HeldScalars
{
    public static readonly Scalar One = 1.ToScalar();
}
