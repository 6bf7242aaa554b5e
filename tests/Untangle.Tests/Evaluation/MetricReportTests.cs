using Untangle.Contracts.Components;
using Untangle.Contracts.Evaluation;
using Untangle.Host.Evaluation;
using Untangle.Host.Evaluation.Metrics;

namespace Untangle.Tests.Evaluation;

public class MetricReportTests
{
    private static RankingResult Ranking(int depth)
    {
        var r = RankingFixture.Ranking(6, [[3, 1, 4, 0, 2]], [[1, 2]]);
        return new RankingResult { Set = r.Set, TopItems = r.TopItems, Dataset = r.Dataset, Split = r.Split, Depth = depth };
    }

    [Fact]
    public void Reports_metrics_keyed_name_at_K_in_the_order_asked()
    {
        var report = MetricReport.Evaluate(Ranking(5), [(new Recall(), "recall", 5), (new Ndcg(), "ndcg", 3), (new Recall(), "recall", 3)]);

        report.Keys.Should().Equal("recall@5", "ndcg@3", "recall@3");
        report["recall@5"].Mean.Should().Be(1);
        report["recall@3"].Mean.Should().Be(0.5);
    }

    [Fact]
    public void A_K_beyond_the_ranking_depth_fails()
    {
        var evaluate = () => MetricReport.Evaluate(Ranking(3), [(new Ndcg(), "ndcg", 5)]);

        evaluate.Should().Throw<ArgumentException>().Which.Message.Should().Contain("ndcg@5").And.Contain("top 3");
    }

    [Fact]
    public void A_metric_listed_twice_fails()
    {
        var evaluate = () => MetricReport.Evaluate(Ranking(5), [(new Ndcg(), "ndcg", 5), (new Ndcg(), "ndcg", 5)]);

        evaluate.Should().Throw<ArgumentException>().Which.Message.Should().Contain("ndcg@5 is listed twice");
    }
}
