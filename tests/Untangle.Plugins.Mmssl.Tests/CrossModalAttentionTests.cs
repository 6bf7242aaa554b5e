using static TorchSharp.torch;

namespace Untangle.Plugins.Mmssl.Tests;

public class CrossModalAttentionTests
{
    [Fact]
    public void A_views_output_changes_when_another_view_changes()
    {
        random.manual_seed(1);
        using var attention = new CrossModalAttention(8, 2, CPU);
        var views = randn(2, 5, 8);
        var changed = views.clone();
        changed[1] = randn(5, 8);

        var a = attention.Attend(views);
        var b = attention.Attend(changed);

        // View 0 is the same in both inputs; its attended output differs because it attends to view 1.
        (a[0] - b[0]).abs().max().item<float>().Should().BeGreaterThan(1e-4f);
        a.shape.Should().Equal(2, 5, 8);
    }

    [Fact]
    public void Rows_do_not_mix_across_users()
    {
        random.manual_seed(2);
        using var attention = new CrossModalAttention(8, 2, CPU);
        var views = randn(2, 5, 8);
        var changed = views.clone();
        changed[.., 4] = randn(2, 8);

        var a = attention.Attend(views);
        var b = attention.Attend(changed);

        (a[.., ..4] - b[.., ..4]).abs().max().item<float>().Should().BeLessThan(1e-6f);
    }
}
