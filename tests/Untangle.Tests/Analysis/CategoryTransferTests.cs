using FluentAssertions;
using Untangle.Contracts.Analysis;
using Xunit;

namespace Untangle.Tests.Analysis;

public class CategoryTransferTests
{
    private const int Classes = 4;

    /// <summary>Items in 4 classes; modality A and B both place class k near centre k (+ noise), B on another scale.</summary>
    private static (float[][] A, float[][] B, float[][] BPermuted, int[] Labels) Draw(int rows, int seed)
    {
        var random = new Random(seed);
        double Normal() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        var centres = Enumerable.Range(0, Classes).Select(_ => Enumerable.Range(0, 6).Select(_ => 3 * Normal()).ToArray()).ToArray();
        var labels = Enumerable.Range(0, rows).Select(r => r % Classes).ToArray();
        float[] Around(int k, double scale) => centres[k].Select(c => (float)(scale * (c + 0.3 * Normal()))).ToArray();
        var a = labels.Select(k => Around(k, 1)).ToArray();
        var b = labels.Select(k => Around(k, 1)).ToArray();
        // The same information in a different basis: columns reversed.
        var bPermuted = b.Select(row => row.Reverse().ToArray()).ToArray();
        return (a, b, bPermuted, labels);
    }

    [Fact]
    public void Separable_classes_are_classified_within_a_modality()
    {
        var (a, _, _, labels) = Draw(200, seed: 1);
        CategoryTransfer.Accuracy(a, a, labels, seed: 2).Should().BeGreaterThan(0.95);
    }

    [Fact]
    public void A_head_transfers_to_a_modality_that_shares_the_space_and_not_to_one_that_does_not()
    {
        var (a, b, bPermuted, labels) = Draw(200, seed: 1);
        CategoryTransfer.Accuracy(a, b, labels, seed: 2).Should().BeGreaterThan(0.9);
        CategoryTransfer.Accuracy(a, bPermuted, labels, seed: 2).Should().BeLessThan(0.7);
    }

    [Fact]
    public void Labels_unrelated_to_the_features_give_chance_accuracy()
    {
        var (a, _, _, _) = Draw(400, seed: 1);
        var random = new Random(9);
        var shuffled = Enumerable.Range(0, a.Length).Select(_ => random.Next(Classes)).ToArray();
        CategoryTransfer.Accuracy(a, a, shuffled, seed: 2).Should().BeInRange(0.1, 0.4);
    }

    [Fact]
    public void Spaces_of_different_sizes_are_refused()
    {
        var (a, _, _, labels) = Draw(20, seed: 1);
        var narrow = a.Select(row => row[..3]).ToArray();
        var act = () => CategoryTransfer.Accuracy(a, narrow, labels, seed: 2);
        act.Should().Throw<ArgumentException>().WithMessage("*6 columns*3*");
    }
}
