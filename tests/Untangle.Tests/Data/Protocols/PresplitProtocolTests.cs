using Untangle.Contracts.Data;
using Untangle.Contracts.Settings;
using Untangle.Host.Data.Protocols;

namespace Untangle.Tests.Data.Protocols;

public class PresplitProtocolTests
{
    [Fact]
    public void Returns_the_readers_split_as_given()
    {
        var d = TestData.Implicit(4, [0, 1], [2, 3]);
        var given = new WeakRandomSplit().Apply(d, SettingValues.Resolve("protocol", new WeakRandomSplit().Options), 1);
        var withSplit = new Dataset
        {
            Name = d.Name, UserIds = d.UserIds, ItemIds = d.ItemIds, Interactions = d.Interactions, PredefinedSplit = given,
        };
        new PresplitProtocol().Apply(withSplit, SettingValues.Empty("protocol"), 1).Should().BeSameAs(given);
    }

    [Fact]
    public void Data_without_a_split_is_an_error_naming_the_readers_that_provide_one()
    {
        var act = () => new PresplitProtocol().Apply(TestData.Implicit(2, [0, 1]), SettingValues.Empty("protocol"), 1);
        act.Should().Throw<InvalidOperationException>().WithMessage("*presplit*'fixture'*no split*vaecf*");
    }
}
