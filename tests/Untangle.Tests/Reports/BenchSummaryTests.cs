using Untangle.Host.Cli;

namespace Untangle.Tests.Reports;

public class BenchSummaryTests
{
    [Fact]
    public void Standard_error_over_seeds_uses_the_sample_deviation()
    {
        var (mean, se) = BenchCommand.Summary([1.0, 2.0, 3.0]);

        mean.Should().Be(2.0);
        se.Should().BeApproximately(1.0 / Math.Sqrt(3), 1e-12, "s = 1 with n − 1, so s / √3; the population form gives 0.471");
    }

    [Fact]
    public void One_seed_has_no_standard_error()
    {
        var (mean, se) = BenchCommand.Summary([0.25]);

        mean.Should().Be(0.25);
        double.IsNaN(se).Should().BeTrue();
    }

    [Fact]
    public void Paired_differences_use_the_seeds_both_ran_and_cancel_the_split()
    {
        // Split-to-split spread (0.10 vs 0.20 vs 0.30) dominates the unpaired values; the paired difference is 0.01 ± 0.
        var baseline = new Dictionary<int, double> { [1] = 0.10, [2] = 0.20, [3] = 0.30, [4] = 0.40 };
        var experiment = new Dictionary<int, double> { [1] = 0.11, [2] = 0.21, [3] = 0.31, [5] = 0.99 };

        var (mean, se, above, count) = BenchCommand.Paired(experiment, baseline);

        count.Should().Be(3, "seed 4 has no experiment run and seed 5 no baseline run");
        mean.Should().BeApproximately(0.01, 1e-12);
        se.Should().BeApproximately(0, 1e-12);
        above.Should().Be(3);
    }

    [Fact]
    public void Paired_differences_count_the_seeds_above_zero()
    {
        var (mean, se, above, count) = BenchCommand.Paired(
            new Dictionary<int, double> { [1] = 1.0, [2] = 2.0, [3] = 2.0 },
            new Dictionary<int, double> { [1] = 2.0, [2] = 1.0, [3] = 1.0 });

        (above, count).Should().Be((2, 3));
        mean.Should().BeApproximately(1.0 / 3, 1e-12);
        se.Should().BeApproximately(Math.Sqrt(4.0 / 3 / 3), 1e-12, "differences −1, 1, 1: sample variance 4/3");
    }

    [Fact]
    public void No_common_seed_gives_no_paired_difference()
    {
        var (mean, _, _, count) = BenchCommand.Paired(new Dictionary<int, double> { [1] = 1.0 }, new Dictionary<int, double> { [2] = 1.0 });

        count.Should().Be(0);
        double.IsNaN(mean).Should().BeTrue();
    }
}
