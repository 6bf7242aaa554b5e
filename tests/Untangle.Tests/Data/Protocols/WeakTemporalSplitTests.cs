using Untangle.Contracts.Data;
using Untangle.Host.Data.Protocols;

namespace Untangle.Tests.Data.Protocols;

public class WeakTemporalSplitTests
{
    private static readonly WeakTemporalSplit Protocol = new();

    private static Split Apply(Dataset d, params (string, string)[] options) =>
        Protocol.Apply(d, TestData.Options(Protocol.Options, options), 1);

    [Fact]
    public void Latest_interactions_are_test_items_and_the_ones_before_them_validation_items()
    {
        // Item i is rated at time 100 - 3i: item 19 is the earliest, item 0 the latest.
        var d = TestData.Build(1, 20, Enumerable.Range(0, 20).Select(i => (0, i, 5f, 100L - 3 * i)));
        var split = Apply(d);
        TestData.RowSet(split.Test.Targets, 0).Should().BeEquivalentTo([0, 1]);
        TestData.RowSet(split.Validation.Targets, 0).Should().BeEquivalentTo([2, 3]);
        TestData.RowSet(split.Train, 0).Should().BeEquivalentTo(Enumerable.Range(4, 16));
    }

    [Fact]
    public void Equal_timestamps_are_ordered_by_item_index()
    {
        var d = TestData.Build(1, 10, Enumerable.Range(0, 10).Select(i => (0, i, 5f, 7L)));
        var split = Apply(d);
        TestData.RowSet(split.Test.Targets, 0).Should().BeEquivalentTo([9]);
        TestData.RowSet(split.Validation.Targets, 0).Should().BeEquivalentTo([8]);
    }

    [Fact]
    public void Data_without_timestamps_is_an_error()
    {
        var d = TestData.Build(1, 10, Enumerable.Range(0, 10).Select(i => (0, i, 5f, 0L)), withTimes: false);
        var act = () => Apply(d);
        act.Should().Throw<InvalidOperationException>().WithMessage("*weak-temporal*timestamps*'fixture'*");
    }
}
