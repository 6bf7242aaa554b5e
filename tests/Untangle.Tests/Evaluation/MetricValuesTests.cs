using Untangle.Contracts.Evaluation;
using Untangle.Host.Evaluation.Metrics;

namespace Untangle.Tests.Evaluation;

/// <summary>Each metric against values computed by hand (spec "Metrics"): one user, one ranked list.</summary>
public class MetricValuesTests
{
    private const double Tolerance = 1e-12;
    private static readonly int[] Ranked = [3, 1, 4, 0, 2];
    /// <summary>1 / log2(r + 1): the discount at 1-based rank r.</summary>
    private static double D(int r) => 1 / Math.Log2(r + 1);

    private static double Value(PerUserRankingMetric metric, int[] ranked, int[] targets, int k) =>
        metric.Compute(RankingFixture.Ranking(6, [ranked], [targets]), k).Mean;

    [Fact]
    public void One_hit_at_rank_two_within_K3()
    {
        // top 3 = [3, 1, 4]; targets {1, 2}: one hit, at rank 2.
        int[] targets = [1, 2];
        Value(new Ndcg(), Ranked, targets, 3).Should().BeApproximately(D(2) / (D(1) + D(2)), Tolerance)
            .And.BeApproximately(0.38685280723454163, 1e-12);
        Value(new FairMiNdcg(), Ranked, targets, 3).Should().BeApproximately(0.38685280723454163, Tolerance, "|T| ≤ K: both IDCGs sum two ranks");
        Value(new Recall(), Ranked, targets, 3).Should().Be(0.5);
        Value(new CappedRecall(), Ranked, targets, 3).Should().Be(0.5);
        Value(new Precision(), Ranked, targets, 3).Should().BeApproximately(1.0 / 3, Tolerance);
        Value(new HitRate(), Ranked, targets, 3).Should().Be(1);
        Value(new ReciprocalRank(), Ranked, targets, 3).Should().Be(0.5);
    }

    [Fact]
    public void Two_hits_at_ranks_two_and_five_within_K5()
    {
        int[] targets = [1, 2];
        Value(new Ndcg(), Ranked, targets, 5).Should().BeApproximately((D(2) + D(5)) / (D(1) + D(2)), Tolerance)
            .And.BeApproximately(0.6240505200038379, 1e-12);
        Value(new Recall(), Ranked, targets, 5).Should().Be(1);
        Value(new CappedRecall(), Ranked, targets, 5).Should().Be(1);
        Value(new Precision(), Ranked, targets, 5).Should().BeApproximately(0.4, Tolerance);
        Value(new HitRate(), Ranked, targets, 5).Should().Be(1);
        Value(new ReciprocalRank(), Ranked, targets, 5).Should().Be(0.5, "MRR looks only at the first hit");
    }

    [Fact]
    public void More_targets_than_K_separates_the_normalisations()
    {
        // top 2 = [3, 1]; targets {0, 1, 2, 4}: one hit at rank 2, |T| = 4 > K = 2.
        int[] targets = [0, 1, 2, 4];
        Value(new Recall(), Ranked, targets, 2).Should().Be(0.25, "plain recall divides by |T| = 4");
        Value(new CappedRecall(), Ranked, targets, 2).Should().Be(0.5, "Liang's recall divides by min(K, |T|) = 2");
        Value(new Precision(), Ranked, targets, 2).Should().Be(0.5);
        Value(new Ndcg(), Ranked, targets, 2).Should().BeApproximately(D(2) / (D(1) + D(2)), Tolerance, "IDCG over min(K, |T|) = 2 ranks");
        Value(new FairMiNdcg(), Ranked, targets, 2).Should().BeApproximately(D(2) / (D(1) + D(2) + D(3) + D(4)), Tolerance)
            .And.BeApproximately(0.24630238874073, 1e-12);
    }

    [Fact]
    public void A_perfect_list_shorter_than_the_targets_scores_one_except_where_normalised_by_all_targets()
    {
        int[] ranked = [0, 1, 2, 5, 3];
        int[] targets = [0, 1, 2, 3, 4];
        Value(new Ndcg(), ranked, targets, 3).Should().BeApproximately(1, Tolerance);
        Value(new CappedRecall(), ranked, targets, 3).Should().Be(1);
        Value(new Recall(), ranked, targets, 3).Should().Be(0.6);
        Value(new FairMiNdcg(), ranked, targets, 3).Should().BeApproximately(0.7227265726449519, 1e-12, "FairMI's IDCG sums all five target ranks");
    }

    [Fact]
    public void No_hit_gives_zero_everywhere()
    {
        PerUserRankingMetric[] all = [new Ndcg(), new FairMiNdcg(), new Recall(), new CappedRecall(), new Precision(), new HitRate(), new ReciprocalRank()];
        foreach (var metric in all)
            Value(metric, Ranked, [5], 3).Should().Be(0, metric.GetType().Name);
    }

    [Fact]
    public void A_hit_beyond_K_does_not_count()
    {
        // item 2 is at rank 5, outside the top 3.
        Value(new HitRate(), Ranked, [2], 3).Should().Be(0);
        Value(new ReciprocalRank(), Ranked, [2], 3).Should().Be(0);
        Value(new ReciprocalRank(), Ranked, [2], 5).Should().Be(0.2);
    }

    [Fact]
    public void A_hit_at_rank_one()
    {
        int[] targets = [3];
        Value(new Ndcg(), Ranked, targets, 3).Should().Be(1);
        Value(new FairMiNdcg(), Ranked, targets, 3).Should().Be(1);
        Value(new Recall(), Ranked, targets, 3).Should().Be(1);
        Value(new CappedRecall(), Ranked, targets, 3).Should().Be(1);
        Value(new Precision(), Ranked, targets, 3).Should().BeApproximately(1.0 / 3, Tolerance);
        Value(new HitRate(), Ranked, targets, 3).Should().Be(1);
        Value(new ReciprocalRank(), Ranked, targets, 3).Should().Be(1);
    }

    [Fact]
    public void Precision_divides_by_K_even_when_the_list_is_shorter()
    {
        // Only two unknown items were left to rank, both targets.
        Value(new Precision(), [4, 5], [4, 5], 5).Should().Be(0.4);
        Value(new CappedRecall(), [4, 5], [4, 5], 5).Should().Be(1);
    }
}
