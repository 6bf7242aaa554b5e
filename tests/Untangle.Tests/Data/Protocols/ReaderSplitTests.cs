using Microsoft.Extensions.Logging.Abstractions;
using Untangle.Contracts.Data;
using Untangle.Contracts.Settings;
using Untangle.Host.Data.Protocols;

namespace Untangle.Tests.Data.Protocols;

public class ReaderSplitTests
{
    private static readonly WeakRandomSplit Weak = new();
    private static readonly StrongGeneralization Strong = new();

    /// <summary>A data set whose reader gave the split a weak-random protocol makes of it.</summary>
    private static (Dataset Data, Split Given) CameSplit()
    {
        var d = TestData.Implicit(8, [0, 1, 2, 3, 4, 5], [1, 2, 3, 4, 5, 6], [0, 2, 4, 6, 7], [1, 3, 5, 7]);
        var given = Weak.Apply(d, SettingValues.Resolve("protocol", Weak.Options), 1);
        return (new Dataset { Name = d.Name, UserIds = d.UserIds, ItemIds = d.ItemIds, Interactions = d.Interactions, PredefinedSplit = given }, given);
    }

    [Fact]
    public void A_protocol_of_the_same_kind_uses_the_readers_split()
    {
        var (data, given) = CameSplit();
        ReaderSplit.Choose("weak-random", Weak, SettingValues.Resolve("protocol", Weak.Options), data, 7, NullLogger.Instance)
            .Should().BeSameAs(given, "a pre-split data set is evaluated on its own split");
    }

    [Fact]
    public void A_protocol_of_another_kind_re_splits()
    {
        var (data, given) = CameSplit();
        var options = SettingValues.Resolve("protocol", Strong.Options, new Dictionary<string, string> { ["heldout_users"] = "1", ["rating_threshold"] = "0" });
        var split = ReaderSplit.Choose("strong", Strong, options, data, 7, NullLogger.Instance);
        split.Should().NotBeSameAs(given);
        split.HeldOutUsers.Should().BeTrue("strong generalization holds users out, which the given split does not");
    }

    [Fact]
    public void Data_without_a_split_goes_to_the_protocol()
    {
        var d = TestData.Implicit(8, [0, 1, 2, 3, 4, 5], [1, 2, 3, 4, 5, 6]);
        var split = ReaderSplit.Choose("weak-random", Weak, SettingValues.Resolve("protocol", Weak.Options), d, 7, NullLogger.Instance);
        split.Protocol.Should().Be("weak-random");
    }
}
