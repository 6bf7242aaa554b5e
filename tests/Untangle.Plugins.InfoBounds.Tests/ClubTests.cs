using static TorchSharp.torch;

namespace Untangle.Plugins.InfoBounds.Tests;

/// <summary>CLUB's formulas against brute force, its learning loss by hand, and what flows where.</summary>
public class ClubTests
{
    [Fact]
    public void The_all_pairs_estimate_equals_the_official_N_by_N_formula()
    {
        random.manual_seed(3);
        using var club = (AllPairsClub)Components.Make(new ClubFactory(), Components.Dims(3, 2), new Dictionary<string, string> { ["hidden_size"] = "8" });
        using var scope = NewDisposeScope();
        var x = randn(6, 3);
        var y = randn(6, 2) * 2 + 1;

        var (mu, logvar) = club.Conditional.forward(x);
        // Official CLUB.forward: negative = -((y_j - mu_i)^2).mean(dim=1) / 2 / exp(logvar), over an N x N x d tensor.
        var positive = -(mu - y).pow(2) / 2 / logvar.exp();
        var negative = -(y.unsqueeze(0) - mu.unsqueeze(1)).pow(2).mean([1]) / 2 / logvar.exp();
        var expected = (positive.sum([1]) - negative.sum([1])).mean();

        Components.Value(club.Estimate(x, y)).Should().BeApproximately(Components.Value(expected), 1e-5);
    }

    [Fact]
    public void The_sampled_estimate_averages_to_the_all_pairs_estimate_over_permutations()
    {
        random.manual_seed(4);
        using var full = (AllPairsClub)Components.Make(new ClubFactory(), Components.Dims(2, 2), new Dictionary<string, string> { ["hidden_size"] = "8" });
        using var sampled = (SampledClub)Components.Make(new ClubSampleFactory(), Components.Dims(2, 2), new Dictionary<string, string> { ["hidden_size"] = "8" });
        sampled.Conditional.load_state_dict(full.Conditional.state_dict());
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var x = randn(5, 2);
        var y = x + randn(5, 2);

        double exact = Components.Value(full.Estimate(x, y));
        Math.Abs(exact).Should().BeGreaterThan(0.1, "a value the tolerance below cannot reach from 0");
        var draws = Enumerable.Range(0, 3000).Select(_ => Components.Value(sampled.Estimate(x, y))).ToList();

        // One draw is far from the mean (a single permutation), the average over draws is not.
        draws.Max().Should().BeGreaterThan(exact + 0.05);
        draws.Average().Should().BeApproximately(exact, 0.02);
    }

    [Fact]
    public void The_learning_loss_is_the_unnormalised_negative_log_likelihood_and_trains_q_only()
    {
        random.manual_seed(5);
        using var club = (AllPairsClub)Components.Make(new ClubFactory(), Components.Dims(2, 3), new Dictionary<string, string> { ["hidden_size"] = "6" });
        var x = randn(4, 2).requires_grad_(true);
        var y = randn(4, 3).requires_grad_(true);

        var loss = club.LearningLoss(x, y)!;
        var (mu, logvar) = club.Conditional.forward(x.detach());
        var expected = -(-(mu - y.detach()).pow(2) / logvar.exp() - logvar).sum([1]).mean();
        Components.Value(loss).Should().BeApproximately(Components.Value(expected), 1e-5);

        loss.backward();
        x.grad.Should().BeNull("the estimator's step must not move the representations");
        y.grad.Should().BeNull();
        club.Module!.parameters().Select(p => p.grad is not null).Should().OnlyContain(has => has);
    }

    [Fact]
    public void The_estimate_is_differentiable_in_both_inputs()
    {
        random.manual_seed(6);
        using var club = Components.Make(new ClubSampleFactory(), Components.Dims(2, 2), new Dictionary<string, string> { ["hidden_size"] = "6" });
        var x = randn(8, 2).requires_grad_(true);
        var y = randn(8, 2).requires_grad_(true);

        club.Estimate(x, y).backward();

        x.grad.Should().NotBeNull();
        y.grad.Should().NotBeNull();
        Components.Value(x.grad!.abs().sum()).Should().BeGreaterThan(0);
        club.Bound.Should().Be(Untangle.Contracts.Components.InformationBound.Upper);
    }

    [Fact]
    public void The_log_variance_stays_inside_minus_one_to_one()
    {
        random.manual_seed(7);
        using var club = (AllPairsClub)Components.Make(new ClubFactory(), Components.Dims(2, 2), new Dictionary<string, string> { ["hidden_size"] = "4" });
        using var noGrad = no_grad();
        var (_, logvar) = club.Conditional.forward(randn(100, 2) * 1000);

        Components.Value(logvar.abs().max()).Should().BeLessThanOrEqualTo(1f);
        Components.Value(logvar.abs().max()).Should().BeGreaterThan(0.5f, "huge inputs saturate the tanh");
    }

    [Fact]
    public void Clamp_at_zero_keeps_a_negative_estimate_at_zero()
    {
        random.manual_seed(8);
        var settings = new Dictionary<string, string> { ["hidden_size"] = "4", ["clamp_at_zero"] = "true" };
        using var clamped = (AllPairsClub)Components.Make(new ClubFactory(), Components.Dims(1, 1), settings);
        using var plain = (AllPairsClub)Components.Make(new ClubFactory(), Components.Dims(1, 1), new Dictionary<string, string> { ["hidden_size"] = "4" });
        plain.Conditional.load_state_dict(clamped.Conditional.state_dict());
        // y anti-aligned with what q predicts gives a negative contrast.
        using var noGrad = no_grad();
        var x = linspace(-2, 2, 9).unsqueeze(1);
        var (mu, _) = plain.Conditional.forward(x);
        var y = -mu * 10;

        Components.Value(plain.Estimate(x, y)).Should().BeLessThan(0);
        Components.Value(clamped.Estimate(x, y)).Should().Be(0);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.8)]
    public void After_fitting_q_CLUB_is_near_zero_for_independent_inputs_and_above_the_truth_otherwise(double rho)
    {
        random.manual_seed(11);
        var truth = new CorrelatedGaussian(2, rho);
        foreach (var factory in new Untangle.Contracts.Components.IMutualInformationEstimatorFactory[] { new ClubFactory(), new ClubSampleFactory() })
        {
            using var club = Components.Make(factory, Components.Dims(2, 2), new Dictionary<string, string> { ["hidden_size"] = "32" });
            GaussianMiBenchmark.Fit(club, truth, batch: 128, steps: 300, learningRate: 1e-2, CPU);
            double estimate;
            using (var noGrad = no_grad())
                estimate = Enumerable.Range(0, 20).Average(_ =>
                {
                    using var scope = NewDisposeScope();
                    var (x, y) = truth.Sample(256, CPU);
                    return Components.Value(club.Estimate(x, y));
                });

            if (rho == 0) estimate.Should().BeInRange(-0.05, 0.05, $"{factory.GetType().Name} on independent inputs");
            else
            {
                estimate.Should().BeGreaterThan(truth.TrueInformation, $"{factory.GetType().Name}: an upper bound once q is fitted (true I = {truth.TrueInformation:F3})");
                estimate.Should().BeApproximately(truth.ClubWithBestQ, 0.1 * truth.ClubWithBestQ, "q lands near the best Gaussian it can represent");
            }
        }
    }

    [Fact]
    public void Missing_or_bad_arguments_and_settings_fail_with_the_key()
    {
        var noDims = () => Components.Make(new ClubFactory());
        noDims.Should().Throw<ArgumentException>().WithMessage("component in slot 'mi' needs argument 'x_dim'*");

        var tiny = () => Components.Make(new ClubFactory(), Components.Dims(2, 2), new Dictionary<string, string> { ["hidden_size"] = "1" });
        tiny.Should().Throw<FormatException>().WithMessage("hyper.mi.hidden_size: 1 is out of range; expected an integer >= 2");

        using var club = Components.Make(new ClubFactory(), Components.Dims(2, 3), new Dictionary<string, string> { ["hidden_size"] = "4" });
        var wrongWidth = () => club.Estimate(zeros(4, 2), zeros(4, 2));
        wrongWidth.Should().Throw<ArgumentException>().WithMessage("club: y has 2 columns but the estimator was built with y_dim = 3");
        var wrongRows = () => club.Estimate(zeros(4, 2), zeros(3, 3));
        wrongRows.Should().Throw<ArgumentException>().WithMessage("club: x and y must hold the same rows*");
    }
}
