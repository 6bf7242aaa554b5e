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
}
