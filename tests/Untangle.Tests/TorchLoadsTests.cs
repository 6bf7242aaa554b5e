using TorchSharp;
using static TorchSharp.torch;

namespace Untangle.Tests;

/// <summary>libtorch must load from a clean build (the build weakens a spurious GLIBCXX need on Debian 12).</summary>
public class TorchLoadsTests
{
    [Fact]
    public void Matmul_and_sparse_backward_and_double_backward_compute()
    {
        using var scope = NewDisposeScope();
        var a = tensor(new float[] { 1, 2, 3, 4 }, [2, 2]);
        var product = a.matmul(a);
        product.data<float>().ToArray().Should().Equal(7f, 10f, 15f, 22f);

        // sparse × dense with a gradient to the dense side
        var sparse = sparse_coo_tensor(tensor(new long[] { 0, 1, 1, 0 }, [2, 2]), tensor(new float[] { 2, 3 }), [2, 2]);
        var dense = ones(2, 2, requires_grad: true);
        sparse.mm(dense).sum().backward();
        dense.grad!.data<float>().ToArray().Should().Equal(3f, 3f, 2f, 2f);

        // a gradient of a gradient (what WGAN-GP's penalty needs)
        var x = tensor(3.0f, requires_grad: true);
        var y = x.pow(3);
        var dy = autograd.grad([y], [x], create_graph: true)[0];
        var d2y = autograd.grad([dy], [x])[0];
        d2y.item<float>().Should().BeApproximately(18f, 1e-5f);
    }
}
