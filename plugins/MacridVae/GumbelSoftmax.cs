using TorchSharp;
using Untangle.Plugins.VaeCF;
using static TorchSharp.torch;
using Untangle.Contracts.Training;

namespace Untangle.Plugins.MacridVae;

/// <summary>
/// The Gumbel-softmax (concrete) relaxation of a categorical draw (Jang, Gu, Poole, ICLR 2017;
/// Maddison, Mnih, Teh, ICLR 2017): y = softmax((logits + g) / temperature) with g_k i.i.d.
/// Gumbel(0, 1), g = −log(−log U), U ~ Uniform(0, 1). As the temperature falls the sample
/// approaches a one-hot vector whose argmax is distributed as softmax(logits); argmax(logits + g) is
/// an exact categorical draw at any temperature (the Gumbel-max trick). This is what TensorFlow's
/// <c>RelaxedOneHotCategorical(temperature, logits).sample()</c> computes in MacridVAE's code;
/// TorchSharp has no gumbel_softmax, so it is written here.
/// </summary>
public static class GumbelSoftmax
{
    /// <summary>Standard Gumbel noise of the given shape, from torch's global generator (seeded by the engine).</summary>
    public static Tensor Noise(long[] shape, Device device, ScalarType dtype = ScalarType.Float32)
    {
        // U in [tiny, 1): U = 0 would give −log(−log 0) = −∞. The largest value, U = 1 − 2⁻²⁴, gives about 16.6.
        using var tiny = finfo(dtype).tiny.ToScalar(); // see StableScalar
        var u = rand(shape, dtype: dtype, device: device).clamp_min(tiny);
        return -(-u.log()).log();
    }

    /// <summary>softmax((logits + g) / temperature) over the last dimension, with fresh Gumbel noise g.</summary>
    public static Tensor Sample(Tensor logits, double temperature = 1.0)
    {
        if (temperature <= 0) throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "the Gumbel-softmax temperature must be positive");
        var noise = Noise(logits.shape, logits.device, logits.dtype);
        using var inverseTemperature = (1 / temperature).ToScalar();
        return logits.Plus(noise).mul(inverseTemperature).softmax(-1);
    }
}
