using Untangle.Contracts.Components;
using static TorchSharp.torch;

namespace Untangle.Plugins.InfoBounds.Tests;

/// <summary>InfoNCE's value by hand in each variant, its ceiling log N, and its order on Gaussian truth.</summary>
public class InfoNceTests
{
    private static readonly float[][] X = [[1, 0], [0, 1], [1, 1]];
    private static readonly float[][] Y = [[2, 0.5f], [-1, 1], [0.5f, 1]];

    private static double Cos(float[] a, float[] b) =>
        (a[0] * b[0] + a[1] * b[1]) / Math.Sqrt((a[0] * a[0] + a[1] * a[1]) * (b[0] * b[0] + b[1] * b[1]));

    /// <summary>−mean_i log( e^{f(a_i, b_i)} / (Σ_j e^{f(a_i, b_j)} + Σ_{j≠i} e^{f(a_i, a_j)}·[intra]) ), f = cos/τ, in plain doubles.</summary>
    private static double Loss(float[][] a, float[][] b, double tau, bool intra)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++)
        {
            double denominator = 0;
            for (int j = 0; j < b.Length; j++) denominator += Math.Exp(Cos(a[i], b[j]) / tau);
            if (intra)
                for (int j = 0; j < a.Length; j++)
                    if (j != i) denominator += Math.Exp(Cos(a[i], a[j]) / tau);
            sum += -Math.Log(Math.Exp(Cos(a[i], b[i]) / tau) / denominator);
        }
        return sum / a.Length;
    }

    private static double Estimate(bool bidirectional, bool intra, double tau = 0.5)
    {
        var settings = new Dictionary<string, string>
        {
            ["temperature"] = tau.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["bidirectional"] = bidirectional ? "true" : "false",
            ["intra_view"] = intra ? "true" : "false",
        };
        using var nce = Components.Make(new InfoNceFactory(), settings: settings);
        return Components.Value(nce.Estimate(Components.Matrix(X), Components.Matrix(Y)));
    }

    [Fact]
    public void One_directional_value_is_log_N_minus_the_contrastive_loss()
    {
        Estimate(false, false).Should().BeApproximately(Math.Log(3) - Loss(X, Y, 0.5, false), 1e-5);
        Estimate(false, false, tau: 0.2).Should().BeApproximately(Math.Log(3) - Loss(X, Y, 0.2, false), 1e-4);
    }

    [Fact]
    public void Bidirectional_value_averages_the_two_directions()
    {
        double expected = Math.Log(3) - (Loss(X, Y, 0.5, false) + Loss(Y, X, 0.5, false)) / 2;
        Estimate(true, false).Should().BeApproximately(expected, 1e-5);
        Estimate(true, false).Should().NotBeApproximately(Estimate(false, false), 1e-3, "the two directions differ on this data");
    }

    [Fact]
    public void Intra_view_negatives_follow_MMSSL_and_only_lower_the_bound()
    {
        Estimate(false, true).Should().BeApproximately(Math.Log(3) - Loss(X, Y, 0.5, true), 1e-5);
        Estimate(false, true).Should().BeLessThan(Estimate(false, false));
    }

    [Fact]
    public void Identical_views_approach_but_never_exceed_log_N()
    {
        random.manual_seed(2);
        using var nce = Components.Make(new InfoNceFactory(), settings: new Dictionary<string, string> { ["temperature"] = "0.05" });
        var x = randn(64, 16);

        double value = Components.Value(nce.Estimate(x, x));

        value.Should().BeLessThanOrEqualTo(Math.Log(64));
        value.Should().BeGreaterThan(Math.Log(64) - 0.05, "with τ small and distinct rows every positive wins");
        nce.Bound.Should().Be(InformationBound.Lower);
        nce.Module.Should().BeNull();
        nce.LearningLoss(x, x).Should().BeNull();
    }

    [Fact]
    public void On_Gaussian_truth_it_grows_with_rho_and_stays_below_the_truth_and_log_N()
    {
        random.manual_seed(9);
        using var nce = Components.Make(new InfoNceFactory());
        using var noGrad = no_grad();
        var values = new[] { 0.0, 0.5, 0.9 }.Select(rho =>
        {
            var truth = new CorrelatedGaussian(5, rho);
            double mean = Enumerable.Range(0, 10).Average(_ =>
            {
                using var scope = NewDisposeScope();
                var (x, y) = truth.Sample(128, CPU);
                return Components.Value(nce.Estimate(x, y));
            });
            mean.Should().BeLessThan(Math.Min(truth.TrueInformation + 0.05, Math.Log(128)), $"a lower bound at rho = {rho}");
            return mean;
        }).ToList();

        values.Should().BeInAscendingOrder();
        (values[2] - values[1]).Should().BeGreaterThan(0.3);
        (values[1] - values[0]).Should().BeGreaterThan(0.3);
    }

    [Fact]
    public void Inputs_of_different_widths_are_refused()
    {
        using var nce = Components.Make(new InfoNceFactory());
        var act = () => nce.Estimate(zeros(3, 2), zeros(3, 4));
        act.Should().Throw<ArgumentException>().WithMessage("infonce: a cosine critic needs x and y of the same width*");
        var badTau = () => Components.Make(new InfoNceFactory(), settings: new Dictionary<string, string> { ["temperature"] = "0" });
        badTau.Should().Throw<FormatException>().WithMessage("hyper.mi.temperature: 0 is out of range; expected a number > 0");
        var infinite = () => Components.Make(new InfoNceFactory(), settings: new Dictionary<string, string> { ["temperature"] = "Infinity" });
        infinite.Should().Throw<FormatException>().WithMessage("hyper.mi.temperature: Infinity is out of range; expected a number > 0");
    }
}
