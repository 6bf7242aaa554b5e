using Untangle.Plugins.VaeCF;
using static TorchSharp.torch;

namespace Untangle.Plugins.MacridVae;

/// <summary>Rows scaled to unit L2 norm, as <c>tf.nn.l2_normalize(x, axis=1)</c>: x / sqrt(max(Σx², 1e-12)).</summary>
public static class UnitRows
{
    public static Tensor Of(Tensor x) => x * (x * x).sum(1, keepdim: true).clamp_min(StableScalar.NormEpsilon).rsqrt();
}
