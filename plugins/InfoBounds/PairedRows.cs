using static TorchSharp.torch;

namespace Untangle.Plugins.InfoBounds;

/// <summary>
/// The shape every estimator expects: x and y as 2-D tensors whose row i is one sample of the pair
/// (x_i, y_i). A mismatch is a method bug, so the message names the estimator and both shapes.
/// </summary>
internal static class PairedRows
{
    public static void Check(string estimator, Tensor x, Tensor y, long? xDim = null, long? yDim = null)
    {
        if (x.dim() != 2 || y.dim() != 2)
            throw new ArgumentException($"{estimator}: x and y must be rows × features matrices; got x {Shape(x)} and y {Shape(y)}");
        if (x.shape[0] != y.shape[0])
            throw new ArgumentException($"{estimator}: x and y must hold the same rows (pairs); got x {Shape(x)} and y {Shape(y)}");
        if (x.shape[0] == 0)
            throw new ArgumentException($"{estimator}: the batch is empty");
        if (xDim is long xd && x.shape[1] != xd)
            throw new ArgumentException($"{estimator}: x has {x.shape[1]} columns but the estimator was built with x_dim = {xd}");
        if (yDim is long yd && y.shape[1] != yd)
            throw new ArgumentException($"{estimator}: y has {y.shape[1]} columns but the estimator was built with y_dim = {yd}");
    }

    public static string Shape(Tensor t) => "[" + string.Join(" x ", t.shape) + "]";
}
