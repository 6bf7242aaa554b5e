using Untangle.Contracts.Components;
using static TorchSharp.torch;

namespace Untangle.Plugins.InfoBounds.Tests;

/// <summary>PAMD's orthogonality and distance losses by hand, and the orthogonality estimator that can take CLUB's slot.</summary>
public class PartRegulariserTests
{
    private static readonly Tensor A = Components.Matrix([1, 2], [3, -1]);
    private static readonly Tensor B = Components.Matrix([2, 1], [1, 3]);

    [Fact]
    public void Squared_dot_product_is_the_mean_over_rows_of_the_squared_row_dot_products()
    {
        // Rows: 1·2 + 2·1 = 4 → 16; 3·1 − 1·3 = 0 → 0; mean 8.
        Components.Value(PartRegularisers.SquaredDot(A, B)).Should().BeApproximately(8, 1e-6);
        Components.Value(PartRegularisers.SquaredDot(A, Components.Matrix([-2, 1], [1, 3]))).Should().Be(0, "both rows orthogonal");
    }

    [Fact]
    public void Distance_is_the_mean_squared_error_over_every_entry()
    {
        // (1−2)² + (2−1)² + (3−1)² + (−1−3)² = 1 + 1 + 4 + 16 = 22, over 4 entries.
        Components.Value(PartRegularisers.Distance(A, B)).Should().BeApproximately(5.5, 1e-6);
    }

    [Fact]
    public void The_orthogonality_estimator_is_a_parameter_free_proxy_with_the_same_value()
    {
        using var penalty = Components.Make(new OrthogonalityFactory());

        Components.Value(penalty.Estimate(A, B)).Should().BeApproximately(8, 1e-6);
        penalty.Bound.Should().Be(InformationBound.Estimate);
        penalty.Module.Should().BeNull();
        penalty.LearningLoss(A, B).Should().BeNull();
        EstimatorTraining.Steps("fit", penalty, new EstimatorSchedule(EstimatorCadence.PerBatch, 5), Untangle.Contracts.Training.OptimizerSpec.Adam(1e-3), _ => (A, B))
            .Should().BeEmpty("nothing to fit");
    }
}
