using Untangle.Plugins.MacridVae;
using static TorchSharp.torch;

namespace Untangle.Plugins.VaeFamily.Tests;

/// <summary>The Gumbel-softmax's statistics: the noise's moments, argmax frequencies, temperature.</summary>
public class GumbelSoftmaxTests
{
    [Fact]
    public void The_noise_is_standard_Gumbel_mean_euler_gamma_variance_pi_squared_over_six()
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        var g = GumbelSoftmax.Noise([200_000], CPU).to_type(ScalarType.Float64);

        g.mean().item<double>().Should().BeApproximately(0.5772, 0.01);
        g.var().item<double>().Should().BeApproximately(Math.PI * Math.PI / 6, 0.03);
        g.isfinite().all().item<bool>().Should().BeTrue();
    }

    [Fact]
    public void The_argmax_of_a_sample_is_distributed_as_the_softmax_of_the_logits()
    {
        using var scope = NewDisposeScope();
        manual_seed(5);
        var logits = tensor(new[] { 1f, 2f, 0.5f, -1f });
        var expected = logits.softmax(0).data<float>().ToArray();
        var samples = GumbelSoftmax.Sample(logits.unsqueeze(0).expand(50_000, 4), 1.0);

        var counts = samples.argmax(1).bincount(null, 4).to_type(ScalarType.Float32) / 50_000f;
        var frequencies = counts.data<float>().ToArray();
        for (int k = 0; k < 4; k++)
            frequencies[k].Should().BeApproximately(expected[k], 0.01f, $"category {k}");
        samples.sum(1).allclose(ones(50_000)).Should().BeTrue("every sample lies on the simplex");
    }

    [Fact]
    public void A_low_temperature_gives_nearly_one_hot_samples_and_a_high_one_nearly_uniform_ones()
    {
        using var scope = NewDisposeScope();
        manual_seed(9);
        var logits = tensor(new[] { 1f, 2f, 0.5f, -1f }).unsqueeze(0).expand(5_000, 4);

        GumbelSoftmax.Sample(logits, 0.05).max(1).values.mean().item<float>().Should().BeGreaterThan(0.97f);
        GumbelSoftmax.Sample(logits, 100).max(1).values.mean().item<float>().Should().BeLessThan(0.27f);
        FluentActions.Invoking(() => GumbelSoftmax.Sample(logits, 0)).Should().Throw<ArgumentOutOfRangeException>();
    }
}
