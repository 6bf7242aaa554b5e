using TorchSharp;
using static TorchSharp.torch;

namespace Untangle.Plugins.FairMi;

/// <summary>
/// TorchSharp Scalars that outlive the native calls they are passed to (as VaeCF's StableScalar and
/// the evaluator's <c>using</c> Scalars): every number in tensor arithmetic (x * 0.1, x + 1.0) and the
/// implicit alpha = 1 of tensor + tensor becomes a temporary Scalar that only the finalizer frees, and a
/// collection while libtorch still reads it fails the run at random (dotnet/TorchSharp PR #1434, open).
/// FairMI's per-batch and per-step code passes these static Scalars, or Scalars the method holds for
/// the run (<see cref="Hold"/>), and adds tensors with the contracts' HeldScalars.Plus.
/// </summary>
public static class StableScalar
{
    public static readonly Scalar One = 1.ToScalar();
    public static readonly Scalar Two = 2.ToScalar();
    public static readonly Scalar Zero = 0.ToScalar();

    /// <summary>A Scalar for a run-time number that the caller keeps (a closure field) for as long as the ops that use it run.</summary>
    public static Scalar Hold(double value) => value.ToScalar();
}
