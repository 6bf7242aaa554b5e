using FluentAssertions;
using Untangle.Contracts.Data;
using Untangle.Tests.Data.Protocols;
using Xunit;
using static TorchSharp.torch;

namespace Untangle.Tests.Data;

public class SplitItemFeaturesTests
{
    /// <summary>3 items whose "image" row i is [10 i, 10 i + 1], and a split that reorders them as 2, 0, 1.</summary>
    private static (Dataset Data, Split Split) Reordered()
    {
        var d = TestData.Implicit(3, [0, 1, 2]);
        var data = new Dataset
        {
            Name = "fixture", UserIds = d.UserIds, ItemIds = d.ItemIds, Interactions = d.Interactions,
            ItemFeatures = new Dictionary<string, FeatureMatrix> { ["image"] = new(3, 2, [0, 1, 10, 11, 20, 21]) },
        };
        var split = new Split
        {
            Protocol = "fixture", Train = d.Interactions, UserToDataset = [0], ItemToDataset = [2, 0, 1],
            Validation = EmptySet(), Test = EmptySet(),
        };
        return (data, split);
    }

    private static EvaluationSet EmptySet() => new()
    {
        Name = "empty", Users = [], DatasetUsers = [],
        Known = new InteractionsBuilder(0, 3).Build(), Targets = new InteractionsBuilder(0, 3).Build(),
    };

    [Fact]
    public void Rows_and_tensors_follow_the_splits_item_order()
    {
        var (data, split) = Reordered();
        SplitItemFeatures.Rows(data, split, "image", "hyper.m").Select(r => r[0]).Should().Equal(20f, 0f, 10f);
        using var t = SplitItemFeatures.Tensor(data, split, "image", "hyper.m", CPU);
        t.data<float>().ToArray().Should().Equal(20f, 21f, 0f, 1f, 10f, 11f);
    }

    [Fact]
    public void An_empty_list_means_every_modality_and_a_missing_one_names_the_key_and_what_there_is()
    {
        var (data, _) = Reordered();
        SplitItemFeatures.Names(data, " ", "hyper.m").Should().Equal("image");
        var act = () => SplitItemFeatures.Names(data, "image, text", "hyper.m");
        act.Should().Throw<ArgumentException>().WithMessage("hyper.m: data set 'fixture' has no item features 'text'; it has: image*");
    }
}
