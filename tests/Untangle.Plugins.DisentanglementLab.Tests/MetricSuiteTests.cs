using Untangle.Contracts.Analysis;

namespace Untangle.Plugins.DisentanglementLab.Tests;

/// <summary>
/// Each metric on the hand-made cases of disentanglement_lib's tests (mig_test.py, dci_test.py,
/// sap_score_test.py, modularity_explicitness_test.py, factor_vae_test.py, beta_vae_test.py):
/// the identity scores near 1, codes unrelated to or fully mixing the factors score near 0 (chance
/// for the classifier scores), and permuting the codes changes nothing.
/// </summary>
public class MetricSuiteTests
{
    private static double Score(IDisentanglementMetric metric, FactorCodes data, string key) => metric.Score(data)[key];

    [Fact]
    public void Mig_is_one_for_the_identity_zero_for_unrelated_codes_and_zero_when_every_code_is_duplicated()
    {
        var mig = new MutualInformationGap();
        Score(mig, HandMadeCodes.Identity(), "mig").Should().BeInRange(0.9, 1.0);
        Score(mig, HandMadeCodes.Random(), "mig").Should().BeInRange(0.0, 0.05);
        // Two codes with the same information about each factor: no gap (mig_test.test_duplicated_latent_space).
        Score(mig, HandMadeCodes.Duplicated(), "mig").Should().BeApproximately(0, 1e-9);
        Score(mig, HandMadeCodes.Mixed(), "mig").Should().BeLessThan(0.3);
        Score(mig, HandMadeCodes.Permuted(), "mig").Should().BeApproximately(Score(mig, HandMadeCodes.Identity(), "mig"), 1e-12);
    }

    [Fact]
    public void Dci_scores_the_identity_near_one_and_unrelated_or_mixed_codes_low() => DciCases(new DciScore(), "dci_");

    [Fact]
    public void Dci_with_trees_scores_the_identity_near_one_and_unrelated_or_mixed_codes_low() => DciCases(new DciTreesScore(), "dci_trees_");

    private static void DciCases(IDisentanglementMetric metric, string prefix)
    {
        IReadOnlyDictionary<string, double> Dci(FactorCodes data) =>
            metric.Score(data).ToDictionary(kv => kv.Key.Replace(prefix, "dci_"), kv => kv.Value);
        var dci = (Func<FactorCodes, IReadOnlyDictionary<string, double>>)Dci;
        var identity = dci(HandMadeCodes.Identity());
        identity["dci_disentanglement"].Should().BeInRange(0.9, 1.0);
        identity["dci_completeness"].Should().BeInRange(0.9, 1.0);
        identity["dci_informativeness"].Should().BeGreaterThan(0.95);

        // Codes unrelated to the factors predict nothing; the little importance noise gets is
        // scattered (a sparse lasso may put it on few codes, so only a loose bound on D and C).
        var random = dci(HandMadeCodes.Random());
        random["dci_disentanglement"].Should().BeLessThan(0.5);
        random["dci_completeness"].Should().BeLessThan(0.5);
        random["dci_informativeness"].Should().BeLessThan(0.05);
        // Constant codes (dci_test's zeros): no importance anywhere, D = C = 0.
        var constant = dci(HandMadeCodes.Truth(_ => [0.0, 0.0, 0.0]));
        constant["dci_disentanglement"].Should().BeApproximately(0, 1e-6);
        constant["dci_completeness"].Should().BeApproximately(0, 1e-6);
        constant["dci_informativeness"].Should().Be(0);

        // Each copy is about one factor; boosting splits on the first of two equal features, so the
        // importance does not divide between copies and completeness is not asserted here.
        dci(HandMadeCodes.Duplicated())["dci_disentanglement"].Should().BeInRange(0.9, 1.0);

        var permuted = dci(HandMadeCodes.Permuted());
        permuted["dci_disentanglement"].Should().BeApproximately(identity["dci_disentanglement"], 0.02);
        permuted["dci_completeness"].Should().BeApproximately(identity["dci_completeness"], 0.02);
        dci(HandMadeCodes.Mixed())["dci_disentanglement"].Should().BeLessThan(identity["dci_disentanglement"] - 0.3);
    }

    [Fact]
    public void Dci_disentanglement_and_completeness_follow_the_entropy_formulas_on_an_importance_matrix()
    {
        DciScore.Disentanglement(new double[,] { { 1, 0 }, { 0, 1 } }).Should().BeApproximately(1, 1e-9);
        DciScore.Disentanglement(new double[,] { { 0.5, 0.5 }, { 0.5, 0.5 } }).Should().BeApproximately(0, 1e-9);
        // One code carries both factors and the other nothing: not disentangled, complete (each factor in one code).
        DciScore.Disentanglement(new double[,] { { 1, 1 }, { 0, 0 } }).Should().BeApproximately(0, 1e-6);
        DciScore.Completeness(new double[,] { { 1, 1 }, { 0, 0 } }).Should().BeApproximately(1, 1e-6);
        // Code 0 weighs 3/4 with D = 1 − H(2/3, 1/3) / log 2; code 1 weighs 1/4 with D = 1.
        double h = -(2.0 / 3 * Math.Log(2.0 / 3) + 1.0 / 3 * Math.Log(1.0 / 3)) / Math.Log(2);
        DciScore.Disentanglement(new double[,] { { 1, 0.5 }, { 0, 0.5 } }).Should().BeApproximately(0.75 * (1 - h) + 0.25, 1e-6);
    }

    [Fact]
    public void Sap_is_high_for_the_identity_and_near_zero_for_unrelated_or_duplicated_codes()
    {
        var sap = new SapScore();
        // 1 minus the best other code's R², a sample correlation between independent factors.
        Score(sap, HandMadeCodes.Identity(), "sap").Should().BeGreaterThan(0.98);
        Score(sap, HandMadeCodes.Random(), "sap").Should().BeLessThan(0.02);
        Score(sap, HandMadeCodes.Duplicated(), "sap").Should().BeApproximately(0, 1e-9);
        Score(sap, HandMadeCodes.Mixed(), "sap").Should().BeLessThan(0.05);
        Score(sap, HandMadeCodes.Permuted(), "sap").Should().BeApproximately(Score(sap, HandMadeCodes.Identity(), "sap"), 1e-12);
    }

    [Fact]
    public void Modularity_is_one_for_the_identity_and_lower_for_mixed_codes()
    {
        var modularity = new Modularity();
        Score(modularity, HandMadeCodes.Identity(), "modularity").Should().BeInRange(0.98, 1.0);
        Score(modularity, HandMadeCodes.Duplicated(), "modularity").Should().BeInRange(0.98, 1.0, "a copy is still about one factor");
        Score(modularity, HandMadeCodes.Mixed(), "modularity").Should().BeLessThan(0.8);
        Score(modularity, HandMadeCodes.Permuted(), "modularity").Should().BeApproximately(Score(modularity, HandMadeCodes.Identity(), "modularity"), 1e-12);
        // A code with information about nothing scores 0; one about one factor only, 1.
        Modularity.Of(new double[,] { { 0, 0, 0 }, { 0.4, 0, 0 } }).Should().BeApproximately(0.5, 1e-12);
        Modularity.Of(new double[,] { { 1, 1 } }).Should().BeApproximately(0, 1e-12);
    }

    [Fact]
    public void Explicitness_is_near_one_for_the_identity_and_chance_for_unrelated_codes()
    {
        var explicitness = new Explicitness();
        Score(explicitness, HandMadeCodes.Identity(), "explicitness").Should().BeGreaterThan(0.9);
        Score(explicitness, HandMadeCodes.Random(), "explicitness").Should().BeInRange(0.4, 0.6);
        Score(explicitness, HandMadeCodes.Permuted(), "explicitness").Should().BeApproximately(Score(explicitness, HandMadeCodes.Identity(), "explicitness"), 0.01);
    }

    [Fact]
    public void FactorVae_score_is_one_for_the_identity_and_near_chance_for_unrelated_codes()
    {
        var factorVae = new FactorVaeScore();
        Score(factorVae, HandMadeCodes.Identity(), "factorvae").Should().BeApproximately(1, 1e-9);
        Score(factorVae, HandMadeCodes.Permuted(), "factorvae").Should().BeApproximately(1, 1e-9);
        Score(factorVae, HandMadeCodes.Random(), "factorvae").Should().BeLessThan(0.45, "chance is 1/4 with four factors");
        Score(factorVae, HandMadeCodes.Mixed(), "factorvae").Should().BeLessThan(0.6);
        // Constant codes are collapsed: nothing active, score 0.
        var constant = HandMadeCodes.Truth(_ => [1.0, 1.0]);
        factorVae.Score(constant)["factorvae"].Should().Be(0);
    }

    [Fact]
    public void BetaVae_score_is_one_for_the_identity_and_near_chance_for_unrelated_codes()
    {
        var betaVae = new BetaVaeScore();
        Score(betaVae, HandMadeCodes.Identity(), "betavae").Should().BeGreaterThan(0.95);
        Score(betaVae, HandMadeCodes.Permuted(), "betavae").Should().BeGreaterThan(0.95);
        Score(betaVae, HandMadeCodes.Random(), "betavae").Should().BeLessThan(0.4, "chance is 1/4 with four factors");
    }

    [Fact]
    public async Task BetaVae_score_is_undefined_when_no_held_out_pair_can_share_a_factor()
    {
        // Fit rows share levels; the two held-out rows differ in every factor, so no held-out pair fixes one.
        int[][] levels = [.. Enumerable.Range(0, 12).Select(i => new[] { i % 2, i / 2 % 2 }), [0, 0], [1, 1]];
        var data = new FactorCodes
        {
            Codes = levels.Select(l => l.Select(v => (double)v).ToArray()).ToArray(),
            Factors = levels.Select(l => l.Select(v => (double)v).ToArray()).ToArray(),
            Levels = levels, LevelCounts = [2, 2], FactorNames = ["a", "b"],
            FitRows = [.. Enumerable.Range(0, 12)], ScoreRows = [12, 13], Seed = 1, IndependentFactors = true,
        };
        var score = Task.Run(() => new BetaVaeScore().Score(data)["betavae"]);
        var first = await Task.WhenAny(score, Task.Delay(TimeSpan.FromSeconds(60)));
        first.Should().BeSameAs(score, "it must not wait for a pair that cannot be drawn");
        double.IsNaN(await score).Should().BeTrue();
    }

    [Fact]
    public void Discrete_information_and_bins_match_hand_computed_values()
    {
        DiscreteInformation.Entropy([0, 0, 1, 1]).Should().BeApproximately(Math.Log(2), 1e-12);
        DiscreteInformation.Mutual([0, 0, 1, 1], [1, 1, 0, 0]).Should().BeApproximately(Math.Log(2), 1e-12);
        DiscreteInformation.Mutual([0, 1, 0, 1], [0, 0, 1, 1]).Should().BeApproximately(0, 1e-12);
        // 20 equal-width bins from min to max; the largest value falls in the last bin.
        var bins = CodeBins.Discretize([[0.0], [0.5], [0.99], [1.0]], [0, 1, 2, 3]);
        bins[0].Should().Equal(0, 10, 19, 19);
    }
}
