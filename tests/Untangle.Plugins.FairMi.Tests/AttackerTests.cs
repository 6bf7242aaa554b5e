using Untangle.Contracts.Analysis;
using static TorchSharp.torch;

namespace Untangle.Plugins.FairMi.Tests;

public class AttackerTests
{
    [Fact]
    public void Auc_counts_ordered_pairs_and_half_ties()
    {
        RocAuc.Binary([0.1, 0.2, 0.8, 0.9], [false, false, true, true]).Should().Be(1);
        RocAuc.Binary([0.9, 0.8, 0.2, 0.1], [false, false, true, true]).Should().Be(0);
        RocAuc.Binary([0.5, 0.5, 0.5, 0.5], [false, true, false, true]).Should().Be(0.5);
        // Positives 0.4 and 0.8 against negatives 0.1 and 0.6: 3 of 4 pairs ordered.
        RocAuc.Binary([0.1, 0.4, 0.6, 0.8], [false, true, false, true]).Should().Be(0.75);
    }

    private static (Tensor X, int[] Labels) Toy(bool separable, int users = 400, int seed = 7)
    {
        var random = new Random(seed);
        var labels = Enumerable.Range(0, users).Select(_ => random.Next(2)).ToArray();
        var data = new float[users * 8];
        for (int u = 0; u < users; u++)
            for (int c = 0; c < 8; c++)
            {
                double noise = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
                data[u * 8 + c] = (float)(noise + (separable && c == 3 ? 4 * (labels[u] * 2 - 1) : 0));
            }
        return (tensor(data, [users, 8]), labels);
    }

    [Theory]
    [InlineData(AttackerKind.Logistic)]
    [InlineData(AttackerKind.Mlp)]
    public void A_separable_attribute_is_found(AttackerKind kind)
    {
        var (x, labels) = Toy(separable: true);
        using (x) AttributeAttacker.HeldOutAuc(x, labels, 2, kind, seed: 1).Should().BeGreaterThan(0.95);
    }

    [Theory]
    [InlineData(AttackerKind.Logistic)]
    [InlineData(AttackerKind.Mlp)]
    public void An_independent_attribute_stays_near_chance(AttackerKind kind)
    {
        var (x, labels) = Toy(separable: false);
        using (x) AttributeAttacker.HeldOutAuc(x, labels, 2, kind, seed: 1).Should().BeInRange(0.35, 0.65);
    }

    [Fact]
    public void The_same_seed_gives_the_same_auc()
    {
        var (x, labels) = Toy(separable: false);
        using (x)
        {
            double a = AttributeAttacker.HeldOutAuc(x, labels, 2, AttackerKind.Mlp, seed: 3);
            AttributeAttacker.HeldOutAuc(x, labels, 2, AttackerKind.Mlp, seed: 3).Should().Be(a);
        }
    }

    [Fact]
    public void Three_classes_use_one_versus_rest()
    {
        double[][] p = [[0.8, 0.1, 0.1], [0.1, 0.8, 0.1], [0.1, 0.1, 0.8], [0.6, 0.3, 0.1]];
        RocAuc.OneVersusRest(p, [0, 1, 2, 0], 3).Should().Be(1);
    }
}
