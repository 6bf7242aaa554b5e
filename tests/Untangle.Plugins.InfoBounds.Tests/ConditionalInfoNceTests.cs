using Untangle.Contracts.Components;
using static TorchSharp.torch;

namespace Untangle.Plugins.InfoBounds.Tests;

/// <summary>FairMI's conditional InfoNCE: the groups, the second input y + w·s, and negatives only from the anchor's group.</summary>
public class ConditionalInfoNceTests
{
    [Fact]
    public void Groups_follow_the_sign_of_the_Pearson_correlation_with_the_first_row()
    {
        var s = Components.Matrix(
            [1, 2, 3],     // anchor: group 0
            [10, 20, 31],  // correlated: 0
            [3, 2, 1],     // anti-correlated: 1
            [-1, 5, 0],    // centred (-2.33, 3.67, -1.33) · (-1, 0, 1) = 1.0 > 0: 0
            [4, 4, 4]);    // constant: no correlation, 1
        ConditionGroups.Assign(s).data<long>().ToArray().Should().Equal(0, 0, 1, 0, 1);
    }

    [Fact]
    public void The_value_is_the_row_mean_of_per_group_InfoNCE_with_the_positive_in_the_denominator()
    {
        random.manual_seed(21);
        var x = randn(6, 3);
        var y = randn(6, 3);
        // Rows 0, 2, 5 correlate with row 0's pattern; rows 1, 3, 4 with its opposite.
        var pattern = tensor(new float[] { 1, -1, 0.5f });
        var signs = tensor(new float[] { 1, -1, 1, -1, -1, 1 }).unsqueeze(1);
        var s = signs * pattern + 0.01f * randn(6, 3);
        using var estimator = Components.Make(new ConditionalInfoNceFactory());

        double value = Components.Value(estimator.Estimate(x, y, s));

        // By hand: x̂ = norm(x), ŷ = norm(y + 0.1 s), τ = 0.5, each group on its own.
        var xn = nn.functional.normalize(x, p: 2, dim: 1);
        var yn = nn.functional.normalize(y + 0.1 * s, p: 2, dim: 1);
        double total = 0;
        foreach (var group in new[] { new long[] { 0, 2, 5 }, new long[] { 1, 3, 4 } })
            foreach (long i in group)
            {
                double positive = Math.Exp(Components.Value(xn[i].dot(yn[i])) / 0.5);
                double denominator = group.Sum(j => Math.Exp(Components.Value(xn[i].dot(yn[j])) / 0.5));
                total += Math.Log(group.Length) + Math.Log(positive / denominator);
            }
        value.Should().BeApproximately(total / 6, 1e-5);
    }

    [Fact]
    public void Rows_of_the_other_group_are_never_negatives()
    {
        random.manual_seed(22);
        var x = randn(4, 2);
        var y = randn(4, 2);
        var s = Components.Matrix([1, -1], [1, -1], [-1, 1], [-1, 1]); // groups 0, 0, 1, 1
        using var estimator = Components.Make(new ConditionalInfoNceFactory());
        double before = Components.Value(estimator.Estimate(x, y, s));

        // Move group 1's x rows towards group 0's y rows: a plain InfoNCE would count them as hard negatives.
        var moved = x.clone();
        moved[2] = y[0] * 5;
        moved[3] = y[1] * 5;
        // Group 0's terms, computed on group 0's rows alone.
        double GroupZeroPart(Tensor a) => Components.Value(estimator.Estimate(a[..2], y[..2], s[..2]));

        GroupZeroPart(moved).Should().BeApproximately(GroupZeroPart(x), 1e-6);
        Components.Value(estimator.Estimate(moved, y, s)).Should().NotBeApproximately(before, 1e-3, "group 1's own terms changed");
        estimator.Bound.Should().Be(InformationBound.Lower);
    }

    [Fact]
    public void The_condition_is_required_and_must_match_y()
    {
        using var estimator = Components.Make(new ConditionalInfoNceFactory());
        var none = () => estimator.Estimate(zeros(3, 2), zeros(3, 2));
        none.Should().Throw<ArgumentException>().WithMessage("conditional-infonce: needs the condition s*");
        var wrong = () => estimator.Estimate(zeros(3, 2), zeros(3, 2), zeros(3, 4));
        wrong.Should().Throw<ArgumentException>().WithMessage("conditional-infonce: the condition must have y's shape [3 x 2]*");
    }
}
