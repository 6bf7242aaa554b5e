using Untangle.Contracts.Data;
using static TorchSharp.torch;

namespace Untangle.Plugins.FairMi.Tests;

public class TopListsTests
{
    // Two users, four items; scores are user · item. User 0 knows item 0, user 1 knows nothing.
    private static EvaluationSet Set(int[][] targets) => new()
    {
        Name = "validation",
        Users = [0, 1],
        DatasetUsers = [0, 1],
        Known = Fixtures.Rows(4, [0], []),
        Targets = Fixtures.Rows(4, targets),
    };

    [Fact]
    public void Lists_mask_known_items_and_skip_users_without_targets()
    {
        using var users = tensor(new float[] { 1, 0, 0, 1 }, [2, 2]);
        using var items = tensor(new float[] { 4, 0, 3, 1, 2, 2, 0, 5 }, [4, 2]);
        var lists = TopLists.Of(users, items, Set([[1], []]), 2);
        lists[0].Should().Equal([1, 2], "item 0 scores highest for user 0 but is known");
        lists[1].Should().BeNull("user 1 has no targets");
    }

    [Fact]
    public void Ndcg_is_the_standard_one_over_rows_with_lists()
    {
        using var users = tensor(new float[] { 1, 0, 0, 1 }, [2, 2]);
        using var items = tensor(new float[] { 4, 0, 3, 1, 2, 2, 0, 5 }, [4, 2]);
        var set = Set([[2], [3, 1]]);
        var lists = TopLists.Of(users, items, set, 2);
        lists[1].Should().Equal([3, 2]);
        // User 0: hit at rank 2 → (1/log2 3) / 1; user 1: hit at rank 1 of two targets → 1 / (1 + 1/log2 3).
        double expected = (1 / Math.Log2(3) + 1 / (1 + 1 / Math.Log2(3))) / 2;
        TopLists.MeanNdcg(lists, set, 2).Should().BeApproximately(expected, 1e-12);
    }

    [Fact]
    public void Shuffled_labels_give_no_distance_when_everyone_sees_the_same_list_and_some_when_groups_differ()
    {
        int[]?[] same = [[0, 1], [0, 1], [0, 1], [0, 1]];
        FairnessAnalysis.ShuffledFloor(same, [0, 0, 1, 1], 2, 4, seed: 1).Should().BeApproximately(0, 1e-12);
        int[]?[] split = [[0, 1], [0, 1], [2, 3], [2, 3]];
        JensenShannon.Distance(TopLists.Exposure(split, [0, 0, 1, 1], 2, 4)).Should().BeApproximately(Math.Sqrt(Math.Log(2)), 1e-12);
        FairnessAnalysis.ShuffledFloor(split, [0, 0, 1, 1], 2, 4, seed: 1).Should().BeLessThan(Math.Sqrt(Math.Log(2)),
            "some permutations mix the two kinds of lists");
    }

    [Fact]
    public void Folded_auc_reads_an_inverted_attacker_as_leakage()
    {
        FairnessAnalysis.Folded(0.3).Should().BeApproximately(0.7, 1e-12);
        FairnessAnalysis.Folded(0.7).Should().BeApproximately(0.7, 1e-12);
        FairnessAnalysis.Folded(0.5).Should().Be(0.5);
    }
}
