using static TorchSharp.torch;

namespace Untangle.Plugins.Foundation.Tests;

/// <summary>The fused BPR-MF loss gives BprObjective's libtorch composition and its gradient.</summary>
public class FusedBprLossTests
{
    [Theory]
    [InlineData(64)]
    [InlineData(13)] // not a multiple of the vector width: the scalar tails run
    public void The_fused_loss_and_its_gradients_equal_the_composed_loss(int width)
    {
        using var scope = NewDisposeScope();
        using var generator = new TorchSharp.torch.Generator(5);
        const double reg = 0.03;
        var baseRows = new[] { randn([37, width], generator: generator), randn([37, width], generator: generator), randn([37, width], generator: generator) };
        // Row 0's negative far above its positive (x > 20: softplus is x there) and row 1's far below (σ(x) ≈ 0).
        using (no_grad())
        {
            baseRows[2][0].copy_(baseRows[0][0] * 4);
            baseRows[1][1].copy_(baseRows[0][1] * 4);
        }

        (Tensor[] Rows, Tensor Bpr, Tensor L2) Composed()
        {
            var rows = baseRows.Select(r => r.clone().requires_grad_(true)).ToArray();
            return (rows, BprObjective.Loss(BprObjective.RowScores(rows[0], rows[1]), BprObjective.RowScores(rows[0], rows[2])),
                BprObjective.EgoL2(rows[0], rows[1], rows[2], reg));
        }

        // Unequal weights on the two terms, so a gradient that mixes them up fails.
        var (composed, bpr, l2) = Composed();
        (bpr * 0.7 + l2 * 1.9).backward();
        var fusedRows = baseRows.Select(r => r.clone().requires_grad_(true)).ToArray();
        FusedBprLoss.Fits(fusedRows[0], fusedRows[1], fusedRows[2]).Should().BeTrue();
        var terms = FusedBprLoss.Apply(fusedRows[0], fusedRows[1], fusedRows[2], reg);
        (terms[0] * 0.7 + terms[1] * 1.9).backward();

        terms[0].item<float>().Should().BeApproximately(bpr.item<float>(), 1e-5f);
        terms[1].item<float>().Should().BeApproximately(l2.item<float>(), 1e-6f);
        for (int k = 0; k < 3; k++)
        {
            double largest = (fusedRows[k].grad! - composed[k].grad!).abs().max().item<float>();
            largest.Should().BeLessThan(1e-6, $"the gradient of input {k}");
            composed[k].grad!.abs().max().item<float>().Should().BeGreaterThan(1e-3f, "the gradient checked is not all zero");
        }
    }

    [Fact]
    public void Only_float32_cpu_rows_of_one_shape_fit()
    {
        using var scope = NewDisposeScope();
        var rows = zeros(4, 8);
        FusedBprLoss.Fits(rows, rows, rows).Should().BeTrue();
        FusedBprLoss.Fits(rows.to_type(ScalarType.Float64), rows, rows).Should().BeFalse();
        FusedBprLoss.Fits(rows, zeros(3, 8), rows).Should().BeFalse();
    }
}
