using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Untangle.Plugins.VaeCF;

/// <summary>
/// One fully connected layer h·W + b as the vae_cf reference code writes it (W is in × out, not
/// torch's out × in), initialised as there: W Glorot-uniform
/// (<c>tf.contrib.layers.xavier_initializer</c>: U(±√(6 / (in + out)))), b truncated normal with
/// std 0.001 (<c>tf.truncated_normal_initializer(stddev=0.001)</c>, cut at two standard deviations).
/// The first layer of an encoder takes <see cref="SparseRows"/> and multiplies them sparsely.
/// </summary>
public sealed class DenseLayer : nn.Module
{
    // Field names are the checkpoint keys. Not readonly: moving the module between devices replaces them.
    private Parameter weight;
    private Parameter bias;

    /// <param name="generator">A seeded CPU generator, so a run's seed fixes the initial weights on every device.</param>
    public DenseLayer(long inputs, long outputs, Generator generator) : base(nameof(DenseLayer))
    {
        if (inputs <= 0 || outputs <= 0) throw new ArgumentOutOfRangeException(nameof(inputs), $"a layer needs positive sizes, got {inputs} x {outputs}");
        weight = GlorotUniform(inputs, outputs, generator);
        bias = TruncatedNormal(outputs, 0.001, generator);
        RegisterComponents();
    }

    public long Inputs => weight.shape[0];
    public long Outputs => weight.shape[1];

    /// <summary>W (inputs × outputs), the parameter itself (for the L2 penalty on weights).</summary>
    public Parameter Weight => weight;
    public Parameter Bias => bias;

    /// <summary>h·W + b for a 2-D input, dense or sparse COO (torch's sparse × dense addmm).</summary>
    /// <remarks>
    /// One addmm rather than mm + bias: TorchSharp's tensor + tensor passes a temporary Scalar (alpha = 1)
    /// that only the finalizer frees, and a collection on another thread can free it while libtorch is
    /// still reading it (dotnet/TorchSharp PR #1434, open); addmm takes its factors as plain numbers.
    /// </remarks>
    public Tensor Forward(Tensor input) => bias.addmm(input, weight);

    /// <summary>The same product with sparse input rows: torch's sparse × dense addmm, no dense batch × items.</summary>
    public Tensor Forward(SparseRows input) => input.MatMul(weight, bias);

    /// <summary>Glorot (Xavier) uniform on a fan_in × fan_out matrix, drawn from <paramref name="generator"/>.</summary>
    /// <remarks>Drawn with torch.rand rather than nn.init.uniform_, whose generator argument TorchSharp 0.107 ignores.</remarks>
    public static Parameter GlorotUniform(long fanIn, long fanOut, Generator generator)
    {
        double bound = Math.Sqrt(6.0 / (fanIn + fanOut));
        using var scope = NewDisposeScope();
        var draw = rand([fanIn, fanOut], generator: generator) * (2 * bound) - bound;
        return Owned(draw);
    }

    /// <summary>N(0, std²) truncated at ±2 std (TensorFlow's truncated normal): draws beyond are redrawn.</summary>
    /// <remarks>Rejection with torch.randn rather than nn.init.trunc_normal_, whose generator argument TorchSharp 0.107 ignores.</remarks>
    public static Parameter TruncatedNormal(long size, double std, Generator generator)
    {
        using var scope = NewDisposeScope();
        var draw = randn([size], generator: generator);
        for (var outside = draw.abs() > 2; outside.any().item<bool>(); outside = draw.abs() > 2)
            draw = where(outside, randn([size], generator: generator), draw);
        return Owned(draw * std);
    }

    private static Parameter Owned(Tensor value)
    {
        // The parameter takes over the handle; it must outlive the dispose scopes (its own and Build's).
        var parameter = new Parameter(value.detach());
        parameter.DetachFromDisposeScope();
        return parameter;
    }
}
