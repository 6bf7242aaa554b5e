using Untangle.Contracts.Analysis;

namespace Untangle.Tests.Analysis;

/// <summary>NMI and ARI on labellings whose values are known.</summary>
public class ClusteringAgreementTests
{
    [Fact]
    public void Identical_labellings_agree_perfectly()
    {
        int[] a = [0, 0, 1, 1, 2, 2, 2];
        ClusteringAgreement.NormalizedMutualInformation(a, a).Should().BeApproximately(1, 1e-12);
        ClusteringAgreement.AdjustedRandIndex(a, a).Should().BeApproximately(1, 1e-12);
    }

    [Fact]
    public void Renaming_the_clusters_changes_nothing()
    {
        int[] a = [0, 0, 1, 1, 2, 2, 2];
        int[] renamed = [5, 5, 0, 0, 3, 3, 3];
        ClusteringAgreement.NormalizedMutualInformation(a, renamed).Should().BeApproximately(1, 1e-12);
        ClusteringAgreement.AdjustedRandIndex(a, renamed).Should().BeApproximately(1, 1e-12);
    }

    [Fact]
    public void Independent_labellings_score_about_zero()
    {
        // a = i mod 2 and b = (i / 2) mod 2 are exactly independent over 400 items: every cell holds 100.
        var a = Enumerable.Range(0, 400).Select(i => i % 2).ToArray();
        var b = Enumerable.Range(0, 400).Select(i => i / 2 % 2).ToArray();
        ClusteringAgreement.NormalizedMutualInformation(a, b).Should().BeApproximately(0, 1e-12);
        ClusteringAgreement.AdjustedRandIndex(a, b).Should().BeApproximately(0, 0.005);
    }

    [Fact]
    public void A_partial_agreement_has_the_values_computed_by_hand()
    {
        // scikit-learn's documented example: adjusted_rand_score = 0.2424...; NMI (arithmetic mean) = 0.5158...
        int[] a = [0, 0, 0, 1, 1, 1];
        int[] b = [0, 0, 1, 1, 2, 2];
        ClusteringAgreement.AdjustedRandIndex(a, b).Should().BeApproximately(0.24242424242424246, 1e-12);
        ClusteringAgreement.NormalizedMutualInformation(a, b).Should().BeApproximately(0.5158037429793888, 1e-12);
    }

    [Fact]
    public void Labellings_of_different_lengths_are_refused()
    {
        FluentActions.Invoking(() => ClusteringAgreement.AdjustedRandIndex([0, 1], [0]))
            .Should().Throw<ArgumentException>().WithMessage("*2 and 1 items*");
    }
}
