using Untangle.Contracts.Training;
using static TorchSharp.torch;

namespace Untangle.Plugins.Foundation.Tests;

/// <summary>The CSR graph product gives libtorch's COO product and its gradient, on one thread and split over two.</summary>
public class CsrPropagationTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void The_csr_product_and_its_gradient_equal_the_coo_products(int threads)
    {
        using var scope = NewDisposeScope();
        int before = KernelThreads.Count;
        KernelThreads.Count = threads;
        try
        {
            // A 1,500 x 700 matrix of about 12 weighted entries per row, listed in shuffled order: not square,
            // so the backward must use Âᵀ, and not in row order, so the CSR copy must sort it. With
            // 2,048 columns of X it is above CsrGraph.SplitAbove, so two threads split the work.
            var random = new Random(3);
            var entries = new HashSet<(int Row, int Column)>();
            for (int r = 0; r < 1500; r++)
                for (int k = 0; k < 12; k++) entries.Add((r, random.Next(700)));
            var listed = entries.OrderBy(_ => random.Next()).ToList();
            var index = new long[2 * listed.Count];
            var weight = new float[listed.Count];
            for (int k = 0; k < listed.Count; k++)
                (index[k], index[listed.Count + k], weight[k]) = (listed[k].Row, listed[k].Column, (float)random.NextDouble());
            var graph = sparse_coo_tensor(tensor(index, [2, listed.Count]), tensor(weight), [1500, 700]);
            var generator = new TorchSharp.torch.Generator(11);
            var start = randn([700, 2048], generator: generator);
            var upstream = randn([1500, 2048], generator: generator);

            var viaCoo = start.clone().requires_grad_(true);
            var coo = graph.mm(viaCoo);
            (coo * upstream).sum().backward();

            var csr = CsrGraph.FromCoo(graph);
            ((long)listed.Count * 2048).Should().BeGreaterThanOrEqualTo(CsrGraph.SplitAbove, "the product is large enough to be split");
            var viaCsr = start.clone().requires_grad_(true);
            var product = CsrProduct.Apply(csr, viaCsr);
            (product * upstream).sum().backward();

            MaxDifference(product, coo).Should().BeLessThan(1e-5f, "Â·X from the CSR copy");
            MaxDifference(viaCsr.grad!, viaCoo.grad!).Should().BeLessThan(1e-5f, "Âᵀ·G, X's gradient");
            MaxDifference(viaCsr.grad!, zeros_like(viaCsr)).Should().BeGreaterThan(0.01f, "the gradient is not empty");
        }
        finally
        {
            KernelThreads.Count = before;
        }
    }

    [Fact]
    public void A_graph_that_is_not_a_sparse_cpu_float_matrix_is_refused()
    {
        using var dense = zeros(3, 3);
        var act = () => CsrGraph.FromCoo(dense);
        act.Should().Throw<ArgumentException>().WithMessage("a CSR graph is made from a 2-D sparse float32 CPU tensor");
    }

    private static float MaxDifference(Tensor a, Tensor b) => (a - b).abs().max().item<float>();
}
