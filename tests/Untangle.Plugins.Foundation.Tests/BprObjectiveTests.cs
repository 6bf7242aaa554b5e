using static TorchSharp.torch;

namespace Untangle.Plugins.Foundation.Tests;

public class BprObjectiveTests
{
    [Fact]
    public void The_loss_is_the_mean_of_minus_log_sigmoid_of_the_margins()
    {
        using var scope = NewDisposeScope();
        var positive = tensor(new float[] { 2, 0, 1 });
        var negative = tensor(new float[] { 0, 0, 3 });

        var loss = BprObjective.Loss(positive, negative).item<float>();

        // margins 2, 0, -2: (ln(1 + e^-2) + ln 2 + ln(1 + e^2)) / 3
        double expected = (Math.Log(1 + Math.Exp(-2)) + Math.Log(2) + Math.Log(1 + Math.Exp(2))) / 3;
        loss.Should().BeApproximately((float)expected, 1e-6f);
        loss.Should().BeApproximately(0.9823344f, 1e-5f);
    }

    [Fact]
    public void The_loss_stays_finite_for_huge_margins()
    {
        using var scope = NewDisposeScope();
        var loss = BprObjective.Loss(tensor(new float[] { -200 }), tensor(new float[] { 200 })).item<float>();
        loss.Should().BeApproximately(400f, 1e-3f);
    }

    [Fact]
    public void The_l2_term_is_reg_times_the_squared_norms_over_two_over_the_batch_size()
    {
        using var scope = NewDisposeScope();
        var users = tensor(new float[] { 1, 2, 0, 1 }, [2, 2]);      // ‖·‖² = 5 + 1
        var positives = tensor(new float[] { 0, 1, 3, 0 }, [2, 2]);  // 1 + 9
        var negatives = tensor(new float[] { 1, 1, 0, 0 }, [2, 2]);  // 2 + 0

        var l2 = BprObjective.EgoL2(users, positives, negatives, weight: 0.1).item<float>();

        l2.Should().BeApproximately(0.1f * 18 / 2 / 2, 1e-6f);
    }

    [Fact]
    public void Row_scores_are_row_wise_dot_products()
    {
        using var scope = NewDisposeScope();
        var users = tensor(new float[] { 1, 2, 0, 1 }, [2, 2]);
        var items = tensor(new float[] { 3, 4, 5, 6 }, [2, 2]);
        BprObjective.RowScores(users, items).data<float>().ToArray().Should().Equal(11f, 6f);
    }
}
