using static TorchSharp.torch;

namespace Untangle.Plugins.Mmssl.Tests;

public class ModalityViewsTests
{
    [Fact]
    public void The_contrastive_views_are_the_neighbour_averages_before_attention()
    {
        random.manual_seed(9);
        var graph = MmsslFixture.Build(new Dictionary<string, string> { ["topk"] = "3" });
        var model = MmsslFixture.Model(graph);
        model.eval();
        using var noGrad = no_grad();

        var pass = model.Forward();

        pass.UserViews.Should().NotBeNull();
        for (int m = 0; m < 2; m++)
        {
            // e_u^m = Σ_{i∈N_u^m} e_i / k: the spec's view (official image_user_id), not the attended mix.
            var expected = model.Graphs.UserSide(m).mm(model.Ego.ItemTable);
            pass.UserViews![m].allclose(expected, rtol: 1e-5, atol: 1e-6).Should().BeTrue();
            model.Attention.Attend(pass.UserViews).index_select(0, tensor(new long[] { m })).squeeze(0)
                .allclose(expected, rtol: 1e-3, atol: 1e-4).Should().BeFalse();
        }
        MmsslFixture.Dispose(graph);
    }
}
