using static TorchSharp.torch;

namespace Untangle.Plugins.Mmssl.Tests;

public class GumbelRowsTests
{
    private static Tensor Interactions() => tensor(new float[] { 1, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0 }, [2, 6]);

    [Fact]
    public void Each_transformed_row_is_a_distribution()
    {
        random.manual_seed(1);
        var rows = GumbelRows.Transform(Interactions(), 0.5);

        rows.sum(1).data<float>().ToArray().Should().AllSatisfy(s => s.Should().BeApproximately(1f, 1e-5f));
        (rows.min().item<float>() >= 0).Should().BeTrue();
    }

    [Fact]
    public void A_small_tau_puts_the_mass_on_observed_items_and_a_large_one_spreads_it()
    {
        random.manual_seed(2);
        var a = Interactions();
        var sharp = GumbelRows.Transform(a, 0.005);
        var flat = GumbelRows.Transform(a, 100);

        // Row 0 observes items 0 and 3: with tau 0.005 nearly all mass is there; with tau 100 about 2/6.
        var sharpObserved = sharp[0, 0].item<float>() + sharp[0, 3].item<float>();
        var flatObserved = flat[0, 0].item<float>() + flat[0, 3].item<float>();
        sharpObserved.Should().BeGreaterThan(0.99f);
        flatObserved.Should().BeInRange(0.25f, 0.45f);
    }

    [Fact]
    public void The_noise_is_fresh_on_each_call_and_the_augmented_signal_adds_zeta_times_the_cosine()
    {
        random.manual_seed(3);
        var a = Interactions();
        GumbelRows.Transform(a, 1).allclose(GumbelRows.Transform(a, 1)).Should().BeFalse();

        var users = tensor(new float[] { 1, 0, 0, 2 }, [2, 2]);
        var items = tensor(new float[] { 1, 0, 0, 1, 1, 1, -1, 0, 0, -1, 2, 0 }, [6, 2]);
        random.manual_seed(4);
        var plain = GumbelRows.Transform(a, 1);
        random.manual_seed(4);
        var real = GumbelRows.Real(a, 1, users, items, 0.5);

        // user 0 = (1, 0): cos with item 1 (0, 1) is 0, with item 3 (-1, 0) is -1.
        (real[0, 1] - plain[0, 1]).item<float>().Should().BeApproximately(0f, 1e-6f);
        (real[0, 3] - plain[0, 3]).item<float>().Should().BeApproximately(-0.5f, 1e-6f);
    }
}
