using Untangle.Contracts.Training;
using Untangle.Plugins.VaeCF;
using static TorchSharp.torch;

namespace Untangle.Plugins.VaeFamily.Tests;

/// <summary>The sparse input: the same numbers as the dense computation, without a dense input matrix.</summary>
public class SparseRowsTests
{
    private static SparseRows Rows(int items, params int[][] rows) =>
        SparseRows.From(RowTensors.Sparse(Fixtures.Matrix(items, rows), CPU));

    [Fact]
    public void L2_normalisation_of_binary_rows_divides_by_the_square_root_of_the_row_length()
    {
        using var scope = NewDisposeScope();
        var rows = Rows(5, [0, 2, 4, 1], [3], []).L2Normalized();

        var dense = Fixtures.Rows(rows.ToDense());
        dense[0].Should().Equal([0.5f, 0.5f, 0.5f, 0, 0.5f]);
        dense[1].Should().Equal([0, 0, 0, 1f, 0]);
        dense[2].Should().Equal([0, 0, 0, 0, 0f], "an empty row stays zero, as tf.nn.l2_normalize's epsilon makes it");
    }

    [Fact]
    public void L2_normalisation_of_weighted_rows_uses_the_weighted_norm()
    {
        using var scope = NewDisposeScope();
        var binary = Rows(3, [0, 1]);
        var rows = binary.WithValues(tensor(new[] { 3f, 4f })).L2Normalized();

        Fixtures.Rows(rows.ToDense())[0].Should().Equal([0.6f, 0.8f, 0f]);
    }

    [Fact]
    public void Dropout_keeps_values_with_the_keep_probability_and_scales_them_by_its_inverse()
    {
        using var scope = NewDisposeScope();
        manual_seed(11);
        var all = Enumerable.Range(0, 2000).ToArray();
        var dropped = Rows(2000, all).Dropout(0.25).Values.data<float>().ToArray();

        dropped.Should().OnlyContain(v => v == 0f || v == 4f);
        dropped.Count(v => v > 0).Should().BeInRange(440, 560, "about a quarter of 2000 values survive");
    }

    [Fact]
    public void The_sparse_product_equals_the_dense_one_and_its_gradient_reaches_the_dense_operand()
    {
        using var scope = NewDisposeScope();
        var rows = Rows(4, [0, 3], [1, 2, 3]).L2Normalized();
        var matrix = arange(12, dtype: ScalarType.Float32).reshape(4, 3).requires_grad_(true);

        var product = rows.MatMul(matrix);
        Fixtures.Rows(product).Should().BeEquivalentTo(Fixtures.Rows(rows.ToDense().mm(matrix)), o => o.WithStrictOrdering());

        product.sum().backward();
        // d/dm[i, j] Σ = Σ_u x_ui: item 0 in row 0 (1/√2), item 3 in both rows (1/√2 + 1/√3).
        var grad = matrix.grad!.select(1, 0).data<float>().ToArray();
        grad.Should().BeEquivalentTo(new[] { 1 / MathF.Sqrt(2), 1 / MathF.Sqrt(3), 1 / MathF.Sqrt(3), 1 / MathF.Sqrt(2) + 1 / MathF.Sqrt(3) },
            o => o.WithStrictOrdering().Using<float>(c => c.Subject.Should().BeApproximately(c.Expectation, 1e-6f)).WhenTypeIs<float>());
    }

    [Fact]
    public void Values_that_need_a_gradient_are_refused_rather_than_silently_cut_off()
    {
        using var scope = NewDisposeScope();
        var rows = Rows(2, [0, 1]);
        var learned = rows.WithValues(ones(2).requires_grad_(true) * 2);

        FluentActions.Invoking(() => learned.MatMul(ones(2, 3)))
            .Should().Throw<InvalidOperationException>().WithMessage("*dense operand*");
    }

    [Fact]
    public void The_row_dot_reads_a_matrix_only_at_the_non_zeros_and_averages_over_rows()
    {
        using var scope = NewDisposeScope();
        var rows = Rows(3, [0, 2], [1]);
        var matrix = tensor(new[] { 1f, 10f, 100f, 1000f, 10000f, 100000f }).reshape(2, 3);

        rows.MeanRowDot(matrix).item<float>().Should().Be((1f + 100f + 10000f) / 2);
    }
}
