using Untangle.Plugins.VaeCF;
using static TorchSharp.torch;

namespace Untangle.Plugins.VaeFamily.Tests;

/// <summary>The reference code's initialisation, drawn from the run's generator.</summary>
public class InitialisationTests
{
    [Fact]
    public void Weights_are_Glorot_uniform_and_biases_truncated_normal_with_std_0_001()
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(5, CPU);
        using var layer = new DenseLayer(300, 100, generator);
        double bound = Math.Sqrt(6.0 / 400);

        var w = layer.Weight.detach();
        w.shape.Should().Equal(300, 100);
        w.abs().max().item<float>().Should().BeLessThanOrEqualTo((float)bound);
        w.var().item<float>().Should().BeApproximately((float)(bound * bound / 3), 2e-4f, "U(-b, b) has variance b²/3");
        var b = layer.Bias.detach();
        b.abs().max().item<float>().Should().BeLessThanOrEqualTo(0.002f);
        b.std().item<float>().Should().BeInRange(0.0006f, 0.0011f, "N(0, 0.001²) cut at 2σ has std 0.00088");
    }

    [Fact]
    public void The_same_generator_seed_gives_the_same_weights_whatever_torchs_global_generator_did()
    {
        using var scope = NewDisposeScope();
        manual_seed(1);
        using var a = new DenseLayer(6, 4, new Generator(42, CPU));
        manual_seed(2);
        using var b = new DenseLayer(6, 4, new Generator(42, CPU));
        using var c = new DenseLayer(6, 4, new Generator(43, CPU));

        a.Weight.allclose(b.Weight, 0, 0).Should().BeTrue();
        a.Bias.allclose(b.Bias, 0, 0).Should().BeTrue();
        a.Weight.allclose(c.Weight, 0, 0).Should().BeFalse();
    }
}
