using Untangle.Contracts.Data;
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
            // 1,500 users x 700 items, about 12 items each, and 1,024 columns: above CsrGraph.SplitAbove, so two threads split the work.
            var random = new Random(3);
            var builder = new InteractionsBuilder(1500, 700);
            for (int u = 0; u < 1500; u++)
                for (int k = 0; k < 12; k++) builder.Add(u, random.Next(700));
            var graph = NormalizedBipartiteGraph.Build(builder.Build(), CPU);
            var generator = new TorchSharp.torch.Generator(11);
            var start = randn([2200, 1024], generator: generator);
            var upstream = randn([2200, 1024], generator: generator);

            var viaCoo = start.clone().requires_grad_(true);
            var coo = graph.mm(graph.mm(viaCoo));
            (coo * upstream).sum().backward();

            var csr = CsrGraph.FromCoo(graph);
            ((long)graph.SparseValues.shape[0] * 1024).Should().BeGreaterThanOrEqualTo(CsrGraph.SplitAbove, "the product is large enough to be split");
            var viaCsr = start.clone().requires_grad_(true);
            var product = CsrProduct.Apply(csr, CsrProduct.Apply(csr, viaCsr));
            (product * upstream).sum().backward();

            MaxDifference(product, coo).Should().BeLessThan(1e-5f, "Â·Â·X from the CSR copy");
            MaxDifference(viaCsr.grad!, viaCoo.grad!).Should().BeLessThan(1e-5f, "Âᵀ·Âᵀ·G, X's gradient");
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
