using Untangle.Contracts.Data;
using Untangle.Contracts.Evaluation;
using Untangle.Host.Evaluation;
using static TorchSharp.torch;

namespace Untangle.Tests.Evaluation;

public class RankingEvaluatorTests
{
    private const int Items = 6;

    // Seven users; known items are given the highest scores, so a missing mask would show.
    private static readonly float[,] Scores =
    {
        { 9, 1, 2, 3, 4, 5 },
        { 1, 9, 8, 2, 3, 4 },
        { 0, 0, 0, 0, 0, 0 },
        { 3, 3, 1, 3, 9, 3 },
        { 6, 5, 4, 3, 2, 1 },
        { 1, 2, 9, 9, 0, 5 },
        { 2, 2, 2, 2, 2, 9 },
    };
    private static readonly int[][] Known = [[0], [1, 2], [], [4], [0, 1, 2, 3, 4], [], [5]];
    private static readonly int[][] Targets = [[5], [4], [0], [0, 1], [5], [], [1]];

    private static (EvaluationSet Set, Split Split, Dataset Dataset) Fixture()
    {
        var set = RankingFixture.Set("validation", Items, Known, Targets);
        var split = RankingFixture.Split(set);
        return (set, split, RankingFixture.Dataset(split));
    }

    private static RankingResult Rank(FixedScorer scorer, int batchSize, int depth, UsersWithoutTargets rule = UsersWithoutTargets.Skip)
    {
        var (set, split, dataset) = Fixture();
        return new RankingEvaluator(CPU, batchSize, rule).Rank(scorer, set, dataset, split, depth);
    }

    [Fact]
    public void Ranks_by_score_with_known_items_left_out_and_ties_by_item_index()
    {
        var result = Rank(new FixedScorer(Scores), batchSize: 3, depth: Items);

        result.TopItems.Should().BeEquivalentTo(new int[][]
        {
            [5, 4, 3, 2, 1],
            [5, 4, 3, 0],
            [0, 1, 2, 3, 4, 5], // all tied: item order
            [0, 1, 3, 5, 2],    // three 3s tied: 0, 1, 3
            [5],                // one unknown item left: a short list
            [2, 3, 5, 1, 0, 4], // 9 = 9: item 2 before 3
            [0, 1, 2, 3, 4],
        }, o => o.WithStrictOrdering());
        for (int u = 0; u < Known.Length; u++)
            result.TopItems[u].Should().NotIntersectWith(Known[u], $"user {u}'s known items are masked");
    }

    [Fact]
    public void Items_tied_at_the_Kth_score_are_taken_lowest_index_first()
    {
        // user 3 ranks 9 (known, masked) then four 3s at items 0, 1, 3, 5: K = 2 takes 0 and 1.
        // user 6 has five 2s for two places.
        var result = Rank(new FixedScorer(Scores), batchSize: 7, depth: 2);

        result.TopItems[3].Should().Equal(0, 1);
        result.TopItems[6].Should().Equal(0, 1);
        result.TopItems[2].Should().Equal(0, 1);
        result.TopItems[1].Should().Equal(5, 4);
        result.Depth.Should().Be(2);
    }

    [Fact]
    public void The_result_does_not_depend_on_the_user_batch_size()
    {
        var one = Rank(new FixedScorer(Scores), batchSize: 1, depth: 3);
        var three = Rank(new FixedScorer(Scores), batchSize: 3, depth: 3);
        var all = Rank(new FixedScorer(Scores), batchSize: 100, depth: 3);

        three.TopItems.Should().BeEquivalentTo(one.TopItems, o => o.WithStrictOrdering());
        all.TopItems.Should().BeEquivalentTo(one.TopItems, o => o.WithStrictOrdering());
        one.TopItems[0].Should().Equal(5, 4, 3);
    }

    [Fact]
    public void Scores_users_in_bounded_batches_with_their_own_known_rows_and_without_gradients()
    {
        var scorer = new FixedScorer(Scores);
        Rank(scorer, batchSize: 3, depth: 2);

        scorer.BatchUsers.Should().BeEquivalentTo(new long[][] { [0, 1, 2], [3, 4, 5], [6] }, o => o.WithStrictOrdering());
        scorer.Batches[1].Known.Row(1).ToArray().Should().Equal(0, 1, 2, 3, 4);
        scorer.Batches[1].Known.Rows.Should().Be(3);
        scorer.UserTypes.Should().AllBeEquivalentTo(ScalarType.Int64);
        scorer.GradientsWereEnabled.Should().BeFalse();
    }

    [Fact]
    public void A_scorers_own_minus_infinity_still_ranks_after_every_finite_score_but_known_items_never_do()
    {
        var scores = new float[,] { { float.NegativeInfinity, 1, 2, float.NegativeInfinity } };
        var set = RankingFixture.Set("test", 4, [[2]], [[0]]);
        var split = RankingFixture.Split(set);

        var result = new RankingEvaluator(CPU, 8).Rank(new FixedScorer(scores), set, RankingFixture.Dataset(split), split, depth: 4);

        result.TopItems[0].Should().Equal(1, 0, 3);
    }

    [Fact]
    public void Depth_larger_than_the_item_count_is_capped()
    {
        var result = Rank(new FixedScorer(Scores), batchSize: 2, depth: 100);

        result.TopItems[2].Should().HaveCount(Items);
        result.Depth.Should().Be(100);
    }

    [Theory]
    [InlineData(UsersWithoutTargets.Skip)]
    [InlineData(UsersWithoutTargets.Zero)]
    public void Carries_the_users_without_targets_rule(UsersWithoutTargets rule)
    {
        Rank(new FixedScorer(Scores), batchSize: 4, depth: 2, rule).WithoutTargets.Should().Be(rule);
    }

    [Fact]
    public void A_score_matrix_of_the_wrong_shape_fails_naming_the_set_and_the_expected_shape()
    {
        var scorer = new FixedScorer(Scores) { Tamper = t => t[.., ..5] };

        var rank = () => Rank(scorer, batchSize: 3, depth: 2);

        rank.Should().Throw<InvalidOperationException>()
            .Which.Message.Should().Contain("'validation'").And.Contain("[3, 5]").And.Contain("expected [3, 6]");
    }

    [Fact]
    public void NaN_scores_fail_naming_the_set_and_the_rows()
    {
        var scores = (float[,])Scores.Clone();
        scores[4, 0] = float.NaN; // even a known item's score: the scorer is broken
        var rank = () => Rank(new FixedScorer(scores), batchSize: 3, depth: 2);

        rank.Should().Throw<InvalidOperationException>()
            .Which.Message.Should().Contain("NaN").And.Contain("'validation'").And.Contain("rows 3..5");
    }
}
