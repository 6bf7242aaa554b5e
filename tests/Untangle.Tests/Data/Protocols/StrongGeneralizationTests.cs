using Untangle.Contracts.Data;
using Untangle.Host.Data.Protocols;

namespace Untangle.Tests.Data.Protocols;

public class StrongGeneralizationTests
{
    private static readonly StrongGeneralization Protocol = new();

    /// <summary>
    /// 70 users: 0..49 rate 12..20 of items 0..39 with 5 (and 4), plus three items with 3; 50..54 have
    /// only 3 ratings above 3.5 (dropped by min_ratings); 55..69 rate 3 common items and 3 items no
    /// one else rates (so held out, they keep only 3 items and get no targets).
    /// </summary>
    private static Dataset Fixture()
    {
        var e = new List<(int, int, float, long)>();
        for (int u = 0; u < 50; u++)
        {
            int n = 12 + u % 9;
            for (int j = 0; j < n; j++) e.Add((u, (u * 7 + j * 3) % 40, j == 0 ? 4f : 5f, j));
            for (int j = n; j < n + 3; j++) e.Add((u, (u * 7 + j * 3) % 40, 3f, j));
        }
        for (int u = 50; u < 55; u++)
            for (int j = 0; j < 8; j++) e.Add((u, j, j < 3 ? 5f : 2f, j));
        for (int u = 55; u < 70; u++)
        {
            for (int j = 0; j < 3; j++) e.Add((u, (u + j) % 40, 5f, j));
            for (int t = 0; t < 3; t++) e.Add((u, 40 + 3 * (u - 55) + t, 5f, 3 + t));
        }
        return TestData.Build(70, 40 + 45, e);
    }

    private static Split Apply(Dataset d, int seed = 1, params (string, string)[] options) =>
        Protocol.Apply(d, TestData.Options(Protocol.Options, options.Length == 0 ? [("heldout_users", "5")] : options), seed);

    [Fact]
    public void Holds_out_N_validation_and_N_test_users_and_trains_on_the_rest()
    {
        var split = Apply(Fixture());

        split.HeldOutUsers.Should().BeTrue();
        split.Validation.Count.Should().Be(5);
        split.Test.Count.Should().Be(5);
        split.Train.Rows.Should().Be(65 - 10, "users 50..54 have fewer than 5 ratings above 3.5");
        split.UserToDataset.Should().HaveCount(55).And.OnlyHaveUniqueItems();
        split.Validation.Users.Should().AllBeEquivalentTo(-1);
        split.Test.Users.Should().AllBeEquivalentTo(-1);
        split.UserToDataset.Concat(split.Validation.DatasetUsers).Concat(split.Test.DatasetUsers)
            .Should().BeEquivalentTo(Enumerable.Range(0, 50).Concat(Enumerable.Range(55, 15)));
    }

    [Fact]
    public void Item_set_is_the_training_users_items_in_order_of_first_appearance()
    {
        var d = Fixture();
        var split = Apply(d);

        var m = d.Interactions;
        var expected = new List<int>();
        foreach (var u in split.UserToDataset)
            for (int k = m.RowStart[u]; k < m.RowStart[u + 1]; k++)
                if (m.Values![k] > 3.5f && !expected.Contains(m.Columns[k]))
                    expected.Add(m.Columns[k]);
        split.ItemToDataset.Should().Equal(expected);
        split.Train.ColumnCount.Should().Be(expected.Count);
        split.Validation.Known.ColumnCount.Should().Be(expected.Count);
    }

    [Fact]
    public void Fold_in_and_targets_are_disjoint_with_int_20_percent_targets_and_none_below_5_items()
    {
        var d = Fixture();
        var split = Apply(d);
        int withTargets = 0, without = 0;
        foreach (var set in new[] { split.Validation, split.Test })
            for (int r = 0; r < set.Count; r++)
            {
                var known = TestData.RowSet(set.Known, r);
                var targets = TestData.RowSet(set.Targets, r);
                known.Overlaps(targets).Should().BeFalse();
                int n = known.Count + targets.Count;
                if (n >= 5) { targets.Should().HaveCount((int)(0.2 * n)); withTargets++; }
                else { targets.Should().BeEmpty(); without++; }

                // Everything kept is an item the user rated above 3.5, and every such item of the item set is kept.
                int du = set.DatasetUsers[r];
                var rated = Enumerable.Range(d.Interactions.RowStart[du], d.Interactions.RowLength(du))
                    .Where(k => d.Interactions.Values![k] > 3.5f).Select(k => d.Interactions.Columns[k]).ToHashSet();
                var inSet = split.ItemToDataset.Select((item, index) => (item, index)).Where(x => rated.Contains(x.item)).Select(x => x.index);
                known.Union(targets).Should().BeEquivalentTo(inSet);
            }
        withTargets.Should().BeGreaterThan(0);
        without.Should().BeGreaterThan(0, "the seed holds out at least one user whose own items no training user rated");
    }

    [Fact]
    public void Applies_the_rating_threshold()
    {
        var d = Fixture();
        var split = Apply(d);
        var m = d.Interactions;
        for (int r = 0; r < split.Train.Rows; r++)
        {
            int du = split.UserToDataset[r];
            foreach (var c in split.Train.Row(r).ToArray())
            {
                int item = split.ItemToDataset[c];
                m.Values![m.RowStart[du] + m.Row(du).IndexOf(item)].Should().BeGreaterThan(3.5f);
            }
        }
        split.Train.Values.Should().BeNull("the split is binarized");
        split.Train.Count.Should().BeGreaterThan(0);

        var loose = Apply(d, 1, ("heldout_users", "5"), ("rating_threshold", "2.5"));
        loose.Train.Count.Should().BeGreaterThan(split.Train.Count, "ratings of 3 count once the threshold is 2.5");
    }

    [Fact]
    public void Is_reproducible_with_the_same_seed_and_differs_with_another()
    {
        var d = Fixture();
        var a = Apply(d, 5);
        var b = Apply(d, 5);
        var c = Apply(d, 6);

        b.UserToDataset.Should().Equal(a.UserToDataset);
        b.Test.DatasetUsers.Should().Equal(a.Test.DatasetUsers);
        b.Test.Targets.Columns.Should().Equal(a.Test.Targets.Columns);
        b.Validation.Targets.Columns.Should().Equal(a.Validation.Targets.Columns);
        c.UserToDataset.Should().NotEqual(a.UserToDataset);
    }

    [Fact]
    public void The_seed_option_fixes_the_split_whatever_the_run_seed()
    {
        var d = Fixture();
        var a = Apply(d, 1, ("heldout_users", "5"), ("seed", "42"));
        var b = Apply(d, 2, ("heldout_users", "5"), ("seed", "42"));
        b.UserToDataset.Should().Equal(a.UserToDataset);
        b.Test.Targets.Columns.Should().Equal(a.Test.Targets.Columns);
    }

    [Fact]
    public void Data_without_ratings_counts_as_all_kept()
    {
        var rows = Enumerable.Range(0, 12).Select(u => Enumerable.Range(u, 6).ToArray()).ToArray();
        var split = Apply(TestData.Implicit(20, rows), 1, ("heldout_users", "2"));
        split.Train.Rows.Should().Be(8);
        split.Test.Targets.Count.Should().BeGreaterThan(0);
    }

    [Fact]
    public void Too_few_users_is_an_error_naming_the_option_and_the_user_count()
    {
        var act = () => Apply(Fixture(), 1, ("heldout_users", "40"));
        act.Should().Throw<ArgumentException>()
            .WithMessage("*protocol.heldout_users*").And.Message.Should().Contain("only 65 users")
            .And.Contain("(read: ").And.Contain("; protocol.rating_threshold = 3.5: ").And.Contain("; protocol.min_ratings = 5: ").And.Contain("(65 users, ");
    }

    [Fact]
    public void The_split_says_what_each_filter_left()
    {
        var split = Apply(Fixture());

        split.Filters.Select(f => f.Filter).Should().Equal("protocol.rating_threshold = 3.5", "protocol.min_ratings = 5");
        split.Filters[1].Users.Should().Be(65, "users 50..54 keep only 3 ratings above 3.5");
        split.Filters[1].Interactions.Should().BeLessThan(split.Filters[0].Interactions);
    }
}
