using static TorchSharp.torch;

namespace Untangle.Plugins.InfoBounds.Tests;

/// <summary>"learned-infonce": a lower bound that approaches the true information from below once its critic is fitted.</summary>
public class LearnedInfoNceTests
{
    private static double MeanEstimate(Untangle.Contracts.Components.IMutualInformationEstimator estimator, CorrelatedGaussian truth) =>
        Enumerable.Range(0, 20).Average(_ =>
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var (x, y) = truth.Sample(128, CPU);
            return Components.Value(estimator.Estimate(x, y));
        });

    [Theory]
    [InlineData("bilinear", 0.0)]
    [InlineData("bilinear", 0.8)]
    [InlineData("separable", 0.8)]
    public void Once_fitted_it_is_near_zero_for_independent_inputs_and_just_below_the_truth_otherwise(string critic, double rho)
    {
        random.manual_seed(17);
        var truth = new CorrelatedGaussian(2, rho);
        using var bound = Components.Make(new LearnedInfoNceFactory(), Components.Dims(2, 2), new Dictionary<string, string> { ["critic"] = critic });
        double before = MeanEstimate(bound, truth);

        GaussianMiBenchmark.Fit(bound, truth, batch: 128, steps: 400, learningRate: 1e-2, CPU);
        double after = MeanEstimate(bound, truth);

        if (rho == 0)
        {
            after.Should().BeInRange(-0.1, 0.1, "independent inputs carry no information");
            return;
        }
        after.Should().BeLessThan(truth.TrueInformation + 0.05, $"a lower bound (true I = {truth.TrueInformation:F3})");
        // The optimal critic log p(y|x)/p(y) has a y² term a bilinear xᵀWy cannot express, so its bound stays looser.
        double slack = critic == "bilinear" ? 0.45 : 0.3;
        after.Should().BeGreaterThan(truth.TrueInformation - slack, "the fitted critic gets close to the truth");
        after.Should().BeGreaterThan(before + 0.3, "fitting the critic raises the bound");
    }

    [Fact]
    public void Its_learning_loss_trains_the_critic_only_and_a_condition_restricts_the_candidates()
    {
        random.manual_seed(3);
        using var bound = (LearnedInfoNceBound)Components.Make(new LearnedInfoNceFactory(), Components.Dims(3, 2));
        var x = randn(16, 3).requires_grad_();
        var y = randn(16, 2).requires_grad_();

        bound.LearningLoss(x, y)!.backward();

        x.grad.Should().BeNull("the critic learns on detached inputs");
        bound.Critic.parameters().Select(p => p.grad is null).Should().OnlyContain(missing => !missing, "every critic weight gets a gradient");

        // Two condition groups of 8: each row has 8 candidates, so the bound is at most log 8.
        var condition = cat([tensor(new[] { 1f, -1f }).expand(8, 2), tensor(new[] { -1f, 1f }).expand(8, 2)], 0) + randn(16, 2) * 0.01;
        using var noGrad = no_grad();
        Components.Value(bound.Estimate(x, y, condition)).Should().BeLessThanOrEqualTo(Math.Log(8) + 1e-5);
        var wrongWidth = () => bound.Estimate(randn(4, 2), randn(4, 2));
        wrongWidth.Should().Throw<ArgumentException>().WithMessage("learned-infonce: x has 2 columns but the estimator was built with x_dim = 3");
    }
}
