using Untangle.Host.Disentanglement;

namespace Untangle.Tests.Analysis;

/// <summary>The study's statistics on hand-made runs: Spearman with ties, correlations with the target, the spread over seeds and models.</summary>
public class MetricStudyTests
{
    [Fact]
    public void Spearman_is_one_for_any_increasing_relation_minus_one_for_a_decreasing_one_and_shares_ranks_on_ties()
    {
        MetricStudy.Spearman([1, 2, 3, 4], [10, 100, 1000, 10000]).Should().BeApproximately(1, 1e-12);
        MetricStudy.Spearman([1, 2, 3, 4], [4, 3, 2, 1]).Should().BeApproximately(-1, 1e-12);
        Untangle.Contracts.Analysis.Correlation.AverageRanks([5, 1, 5, 3]).Should().Equal(3.5, 1, 3.5, 2);
        MetricStudy.Spearman([1, 2, double.NaN, 3, 4], [1, 2, 9, 3, 4]).Should().BeApproximately(1, 1e-12, "pairs with a missing value are left out");
        double.IsNaN(MetricStudy.Spearman([1, 1, 1], [1, 2, 3])).Should().BeTrue("a constant has no ranking");
    }

    [Fact]
    public void The_study_separates_what_the_model_explains_from_what_the_seed_does()
    {
        // Metric "a" is set by the model (0 or 1) plus a small seed wobble; "b" is seed noise alone.
        var runs = new List<StudyRun>();
        foreach (var (model, level) in new[] { ("m1", 0.0), ("m2", 1.0) })
            for (int seed = 1; seed <= 3; seed++)
                runs.Add(new StudyRun(model, seed, new Dictionary<string, double>
                {
                    ["lab.a"] = level + 0.01 * seed, ["lab.a_rotated"] = 0, ["lab.b"] = seed % 2, ["lab.codes"] = 20, ["ndcg@100"] = level + 0.1,
                }));
        var study = new MetricStudy(runs, ["m1", "m2"], "lab.", "ndcg@100");

        study.Metrics.Should().Equal("lab.a", "lab.b");
        var spreads = study.Spreads();
        spreads[0].ModelShare.Should().BeGreaterThan(0.99);
        spreads[0].SeedSpread.Should().BeApproximately(0.01, 1e-12);
        spreads[0].ModelSpread.Should().BeApproximately(Math.Sqrt(0.5), 1e-9);
        spreads[1].ModelShare.Should().BeApproximately(0, 1e-12, "b has the same mean in both models");
        study.TargetCorrelations()[0].Should().BeGreaterThan(0.8);
        study.Render().Should().Contain("do the metrics agree?").And.Contain("m2");
    }
}
