using Untangle.Contracts.Training;
using Untangle.Plugins.MacridVae;
using Untangle.Plugins.VaeCF;
using static TorchSharp.torch;

namespace Untangle.Plugins.VaeFamily.Tests;

/// <summary>The loss terms and the annealing schedules on values computed by hand.</summary>
public class ObjectiveTests
{
    [Fact]
    public void The_multinomial_likelihood_sums_log_softmax_at_the_clicks_and_averages_over_users()
    {
        using var scope = NewDisposeScope();
        var logits = tensor(new[] { 0f, 0f, (float)Math.Log(2), 1f, 1f, 1f }).reshape(2, 3);
        var clicks = SparseRows.From(RowTensors.Sparse(Fixtures.Matrix(3, [0, 2], [1]), CPU));

        // User 0: softmax = (1/4, 1/4, 1/2) → −log(1/4) − log(1/2) = log 8; user 1: −log(1/3) = log 3.
        MultinomialLikelihood.NegativeLogLikelihood(logits, clicks).item<float>()
            .Should().BeApproximately((float)((Math.Log(8) + Math.Log(3)) / 2), 1e-5f);
    }

    [Fact]
    public void The_Gaussian_KL_matches_the_closed_form_per_user_averaged()
    {
        using var scope = NewDisposeScope();
        var mu = tensor(new[] { 1f, 0f, 0f, 0f }).reshape(2, 2);
        var logVariance = tensor(new[] { 0f, (float)Math.Log(2), 0f, 0f }).reshape(2, 2);

        // User 0: ½(0 + 1 + 1 − 1) + ½(−ln 2 + 2 + 0 − 1) = 1 − ½ ln 2; user 1 is the prior itself: 0.
        GaussianKl.ToStandardNormal(mu, logVariance).item<float>()
            .Should().BeApproximately((float)((1 - Math.Log(2) / 2) / 2), 1e-6f);
    }

    [Fact]
    public void The_MacridVAE_KL_drops_the_mu_term_and_is_zero_at_the_prior_scale()
    {
        using var scope = NewDisposeScope();
        var lambda = tensor(new[] { 0f, (float)Math.Log(2), 0f, 0f }).reshape(2, 2);

        // User 0: ½(0 + 1 − 1) + ½(−ln 2 + 2 − 1) = ½(1 − ln 2); user 1: λ = 0 is σ = σ0, KL 0.
        MacridVaeModel.ConceptKl(lambda).item<float>().Should().BeApproximately((float)((1 - Math.Log(2)) / 4), 1e-6f);
    }

    [Theory]
    [InlineData(0, 200000, 0.2, 0.0)]
    [InlineData(20000, 200000, 0.2, 0.1)]
    [InlineData(40000, 200000, 0.2, 0.2)]
    [InlineData(1000000, 200000, 0.2, 0.2)]
    [InlineData(1, 10, 0.2, 0.1)]     // MacridVAE: 5 epochs × 2 batches
    [InlineData(7, 10, 0.2, 0.2)]
    [InlineData(3, 0, 0.2, 0.2)]      // no annealing: the cap throughout
    public void Annealing_grows_linearly_to_the_cap(long step, double steps, double cap, double expected) =>
        KlAnnealing.Weight(step, steps, cap).Should().BeApproximately(expected, 1e-12);

    [Theory]
    [InlineData(null, 3, 3.0 / 200000)]  // the reference's 200,000 steps
    [InlineData("2", 1000, 0.2)]         // 2 epochs of the fixture's batches: capped by then
    [InlineData("10", 1, -1)]            // growing before: 1 / (10 × batches per epoch)
    public void MultVAEs_beta_anneals_over_total_anneal_steps_or_over_anneal_epochs_of_this_datas_batches(string? annealEpochs, long step, double expected)
    {
        var (dataset, split) = Fixtures.Clustered();
        var hyper = new Dictionary<string, string>(MethodCases.SmallHyper("multvae"));
        if (annealEpochs is not null) hyper["anneal_epochs"] = annealEpochs;
        var method = new MultVaeMethod();
        var context = Fixtures.Context(method, dataset, split, hyper: hyper);
        context.BatchesPerEpoch.Should().BeGreaterThan(1, "the fixture's epoch has several batches");
        var graph = method.Build(context);
        try
        {
            var (_, terms) = Fixtures.Evaluate(graph.Steps.Single(), Fixtures.Batch(split.Train, [0, 3, 9], globalBatch: step));
            double beta = expected >= 0 ? expected : step / (double.Parse(annealEpochs!, System.Globalization.CultureInfo.InvariantCulture) * context.BatchesPerEpoch);
            terms["beta"].Should().BeApproximately(beta, 1e-12);
        }
        finally
        {
            Fixtures.Dispose(graph);
        }
    }
}
