using Untangle.Contracts.Data;
using Untangle.Host.Data.Protocols;

namespace Untangle.Tests.Data.Protocols;

public class WeakRandomSplitTests
{
    private static readonly WeakRandomSplit Protocol = new();

    /// <summary>Users with 25, 10, 9, 3, 2, 1 and 0 interactions over 30 items.</summary>
    private static readonly int[] Lengths = [25, 10, 9, 3, 2, 1, 0];

    private static Dataset Fixture() =>
        TestData.Implicit(30, Lengths.Select((n, u) => Enumerable.Range(u, n).ToArray()).ToArray());

    private static Split Apply(Dataset d, int seed = 1, params (string, string)[] options) =>
        Protocol.Apply(d, TestData.Options(Protocol.Options, options), seed);

    [Fact]
    public void Every_interaction_lands_in_exactly_one_part()
    {
        var d = Fixture();
        var split = Apply(d);
        split.UserToDataset.Should().Equal(Enumerable.Range(0, Lengths.Length));
        split.ItemToDataset.Should().Equal(Enumerable.Range(0, 30), "nothing is filtered, so nothing is re-indexed");
        split.HeldOutUsers.Should().BeFalse();
        for (int u = 0; u < d.UserCount; u++)
        {
            var train = TestData.RowSet(split.Train, u);
            var valid = TestData.RowSet(split.Validation.Targets, u);
            var test = TestData.RowSet(split.Test.Targets, u);
            (train.Count + valid.Count + test.Count).Should().Be(d.Interactions.RowLength(u));
            train.Concat(valid).Concat(test).Should().BeEquivalentTo(d.Interactions.Row(u).ToArray());
        }
    }

    [Fact]
    public void Mmrec_rule_gives_1_plus_1_below_10_interactions_and_10_percent_each_from_10()
    {
        var split = Apply(Fixture());
        int[] expectedValid = [2, 1, 1, 1, 0, 0, 0];
        int[] expectedTest = [2, 1, 1, 1, 1, 0, 0];
        for (int u = 0; u < Lengths.Length; u++)
        {
            split.Validation.Targets.RowLength(u).Should().Be(expectedValid[u], $"user {u} has {Lengths[u]} interactions");
            split.Test.Targets.RowLength(u).Should().Be(expectedTest[u], $"user {u} has {Lengths[u]} interactions");
        }
        split.Validation.Count.Should().Be(Lengths.Length, "users without targets stay in the set with an empty row");
    }

    [Fact]
    public void Ratio_scheme_follows_RecBoles_rounding()
    {
        var d = TestData.Implicit(60, Enumerable.Range(0, 50).ToArray(), Enumerable.Range(0, 5).ToArray(), [0, 1]);
        // FairMI: 80/20 train/test with 10% of the test part for validation.
        var fairmi = Apply(d, 1, ("scheme", "ratio"), ("train_ratio", "0.8"), ("valid_ratio", "0.02"), ("test_ratio", "0.18"));
        (fairmi.Train.RowLength(0), fairmi.Validation.Targets.RowLength(0), fairmi.Test.Targets.RowLength(0)).Should().Be((40, 1, 9));
        // 5 interactions: 0.9 test and 0.1 validation items round down to 0, and a part between 0 and 1 item takes one from training.
        (fairmi.Train.RowLength(1), fairmi.Validation.Targets.RowLength(1), fairmi.Test.Targets.RowLength(1)).Should().Be((3, 1, 1));
        var recbole = Apply(d, 1, ("scheme", "ratio"));
        (recbole.Train.RowLength(0), recbole.Validation.Targets.RowLength(0), recbole.Test.Targets.RowLength(0)).Should().Be((40, 5, 5));
        (recbole.Train.RowLength(1), recbole.Validation.Targets.RowLength(1), recbole.Test.Targets.RowLength(1)).Should().Be((3, 1, 1));
        // Training keeps at least one item: with 2 interactions only the test part gets its item.
        (recbole.Train.RowLength(2), recbole.Validation.Targets.RowLength(2), recbole.Test.Targets.RowLength(2)).Should().Be((1, 0, 1));
    }

    [Fact]
    public void Core_filter_is_applied_until_stable_and_reindexes()
    {
        // k = 2: user 3 goes (1 item), then item 3 (left with user 2 only), then user 2 (left with item 2 only).
        var d = TestData.Implicit(5, [1, 2], [1, 2], [2, 3], [3], []);
        var split = Apply(d, 1, ("min_interactions", "2"));
        split.UserToDataset.Should().Equal(0, 1);
        split.ItemToDataset.Should().Equal(1, 2);
        (split.Train.Count + split.Validation.Targets.Count + split.Test.Targets.Count).Should().Be(4);
        split.Train.ColumnCount.Should().Be(2);
        split.Test.DatasetUsers.Should().Equal(0, 1);
        split.Filters.Should().Equal(new FilterStep("protocol.min_interactions = 2 (k-core)", 2, 2, 4));
        Apply(d).Filters.Should().BeEmpty("no filter ran");
    }

    [Fact]
    public void Validation_items_are_masked_at_test_time_unless_switched_off()
    {
        var d = Fixture();
        var masked = Apply(d);
        var unmasked = Apply(d, 1, ("mask_validation", "false"));
        for (int u = 0; u < d.UserCount; u++)
        {
            TestData.RowSet(masked.Validation.Known, u).Should().BeEquivalentTo(TestData.RowSet(masked.Train, u));
            TestData.RowSet(masked.Test.Known, u).Should().BeEquivalentTo(
                TestData.RowSet(masked.Train, u).Union(TestData.RowSet(masked.Validation.Targets, u)));
            TestData.RowSet(unmasked.Test.Known, u).Should().BeEquivalentTo(TestData.RowSet(unmasked.Train, u));
        }
        masked.Test.Known.Count.Should().BeGreaterThan(unmasked.Test.Known.Count);
    }

    [Fact]
    public void Rating_threshold_keeps_only_higher_ratings()
    {
        var d = TestData.Build(1, 20, Enumerable.Range(0, 20).Select(i => (0, i, i % 2 == 0 ? 5f : 2f, (long)i)));
        var split = Apply(d, 1, ("rating_threshold", "3.5"));
        var all = TestData.RowSet(split.Train, 0).Union(TestData.RowSet(split.Validation.Targets, 0)).Union(TestData.RowSet(split.Test.Targets, 0));
        all.Should().BeEquivalentTo(Enumerable.Range(0, 10).Select(i => 2 * i));
        Apply(d).Train.Values.Should().NotBeNull("without a threshold the ratings are kept");
    }

    [Fact]
    public void Is_reproducible_with_the_same_seed_and_differs_with_another()
    {
        var d = Fixture();
        Apply(d, 3).Test.Targets.Columns.Should().Equal(Apply(d, 3).Test.Targets.Columns);
        Apply(d, 3).Train.Columns.Should().NotEqual(Apply(d, 4).Train.Columns);
    }

    [Fact]
    public void Unknown_scheme_is_an_error_naming_the_option()
    {
        var act = () => Apply(Fixture(), 1, ("scheme", "loo"));
        act.Should().Throw<ArgumentException>().WithMessage("*protocol.scheme*'loo'*mmrec*ratio*");
    }
}
