using Untangle.Contracts.Evaluation;
using Untangle.Host.Evaluation.Metrics;

namespace Untangle.Tests.Evaluation;

/// <summary>Means over users, the standard error, and the users-without-targets rule (spec "Aggregation").</summary>
public class MetricAggregationTests
{
    // Four users: two hits, one miss, one without targets.
    private static readonly int[][] Top = [[0, 1], [2, 3], [4, 5], [0, 2]];
    private static readonly int[][] Targets = [[1], [2], [0], []];

    [Fact]
    public void Skip_leaves_users_without_targets_out_of_the_mean()
    {
        var result = new HitRate().Compute(RankingFixture.Ranking(6, Top, Targets, UsersWithoutTargets.Skip), 2);

        result.Users.Should().Be(3);
        result.Mean.Should().BeApproximately(2.0 / 3, 1e-12);
        result.PerUser.Should().Equal(1.0, 1.0, 0.0, null);
        // population std of {1, 1, 0} is sqrt(2/9); divided by sqrt(3)
        result.StandardError.Should().BeApproximately(Math.Sqrt(2.0 / 9) / Math.Sqrt(3), 1e-12)
            .And.BeApproximately(0.2721655269759087, 1e-12);
    }

    [Fact]
    public void Zero_counts_users_without_targets_as_zero()
    {
        var result = new HitRate().Compute(RankingFixture.Ranking(6, Top, Targets, UsersWithoutTargets.Zero), 2);

        result.Users.Should().Be(4);
        result.Mean.Should().Be(0.5);
        result.PerUser.Should().Equal(1.0, 1.0, 0.0, 0.0);
        // population std of {1, 1, 0, 0} is 0.5; divided by sqrt(4)
        result.StandardError.Should().Be(0.25);
    }

    [Fact]
    public void Equal_values_have_zero_standard_error()
    {
        var result = new Recall().Compute(RankingFixture.Ranking(6, [[0, 1], [2, 3]], [[0, 5], [3, 4]]), 2);

        result.Mean.Should().Be(0.5);
        result.StandardError.Should().Be(0);
    }

    [Fact]
    public void No_user_with_targets_gives_NaN_and_zero_users_under_skip()
    {
        var result = new Ndcg().Compute(RankingFixture.Ranking(6, [[0, 1]], [[]]), 2);

        result.Users.Should().Be(0);
        double.IsNaN(result.Mean).Should().BeTrue("a mean over no users is undefined, not 0");
    }
}
