using Untangle.Contracts.Data;

namespace Untangle.Plugins.FairMi.Tests;

public class FairnessMetricTests
{
    [Fact]
    public void Identical_exposure_has_distance_zero_and_disjoint_exposure_the_maximum()
    {
        JensenShannon.Distance([[3, 1, 0], [6, 2, 0]]).Should().BeApproximately(0, 1e-12, "counts are normalised first");
        JensenShannon.Distance([[1, 0], [0, 1]]).Should().BeApproximately(Math.Sqrt(Math.Log(2)), 1e-12);
    }

    [Fact]
    public void Distance_matches_a_hand_computed_value()
    {
        // P = (1/2, 1/2), Q = (1, 0), M = (3/4, 1/4):
        // KL(P‖M) = ½ln(2/3) + ½ln 2, KL(Q‖M) = ln(4/3), JS = ½(KL(P‖M) + KL(Q‖M)).
        double js = 0.5 * (0.5 * Math.Log(2.0 / 3) + 0.5 * Math.Log(2) + Math.Log(4.0 / 3));
        JensenShannon.Distance([[2, 2], [3, 0]]).Should().BeApproximately(Math.Sqrt(js), 1e-12);
        js.Should().BeApproximately(0.215762, 1e-6);
    }

    [Fact]
    public void A_group_without_counts_leaves_nothing_to_compare()
    {
        double.IsNaN(JensenShannon.Distance([[1, 2], [0, 0]])).Should().BeTrue();
    }

    // Users 0 (F) and 1, 2 (M); user 3 (F) has no test items and must not count.
    private static (Dataset Data, Untangle.Contracts.Evaluation.RankingResult Ranking) FourUsers()
    {
        var train = Fixtures.Rows(4, [], [], [], []);
        var data = Fixtures.WithGender(train, [0, 1, 1, 0]);
        var targets = Fixtures.Rows(4, [0], [1, 2], [3], []);
        var ranking = Fixtures.Ranking(data, [[0, 1], [1, 2], [1, 3], [3, 3]], targets);
        return (data, ranking);
    }

    [Fact]
    public void Exposure_counts_the_top_k_of_users_with_targets_by_group()
    {
        var (_, ranking) = FourUsers();
        var counts = ExposureCounts.FromRanking(ranking, 2, hitsOnly: false, "js_dp");
        counts.Users.Should().Be(3, "user 3 has no test items");
        counts.Counts[0].Should().Equal(1, 1, 0, 0);          // F: user 0's [0, 1]; user 3 ignored
        counts.Counts[1].Should().Equal(0, 2, 1, 1);          // M: [1, 2] and [1, 3]
        var hits = ExposureCounts.FromRanking(ranking, 2, hitsOnly: true, "js_eo");
        hits.Counts[0].Should().Equal(1, 0, 0, 0);            // F: item 0 is user 0's target
        hits.Counts[1].Should().Equal(0, 1, 1, 1);            // M: 1 and 2 for user 1, 3 for user 2
    }

    [Fact]
    public void Js_dp_and_js_eo_are_the_distances_of_those_counts()
    {
        var (_, ranking) = FourUsers();
        new JsDemographicParity().Compute(ranking, 2).Mean.Should().BeApproximately(
            JensenShannon.Distance([[1, 1, 0, 0], [0, 2, 1, 1]]), 1e-12);
        new JsEqualOpportunity().Compute(ranking, 2).Mean.Should().BeApproximately(
            JensenShannon.Distance([[1, 0, 0, 0], [0, 1, 1, 1]]), 1e-12);
        new JsDemographicParity().HigherIsBetter.Should().BeFalse();
    }

    [Fact]
    public void K_cuts_the_lists()
    {
        var (_, ranking) = FourUsers();
        // Top-1: F sees item 0, M sees item 1 twice: disjoint, the maximum distance.
        new JsDemographicParity().Compute(ranking, 1).Mean.Should().BeApproximately(Math.Sqrt(Math.Log(2)), 1e-12);
    }

    [Fact]
    public void A_data_set_without_a_sensitive_attribute_fails_naming_it()
    {
        var train = Fixtures.Rows(2, [], []);
        var data = Fixtures.WithGender(train, [0, 1], sensitive: null);
        var ranking = Fixtures.Ranking(data, [[0], [1]], Fixtures.Rows(2, [0], [1]));
        var act = () => new JsDemographicParity().Compute(ranking, 1);
        act.Should().Throw<InvalidOperationException>().WithMessage("*js_dp*toy*sensitive*");
    }
}
