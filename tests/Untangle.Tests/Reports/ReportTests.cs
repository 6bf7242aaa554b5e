using Untangle.Contracts.Evaluation;
using Untangle.Host.Reports;
using Untangle.Host.Store;
using Untangle.Host.Training;

namespace Untangle.Tests.Reports;

/// <summary>Two stored runs that differ in learning rate, compared as Markdown, HTML and curve images.</summary>
public class ReportTests
{
    private static RunComparison Comparison()
    {
        var store = ExperimentStore.Open(Path.Combine(Scratch.Folder("untangle-report-").FullName, "untangle.db"));
        foreach (var (id, lr, status) in new[] { ("run-a", "0.001", RunStatus.Finished), ("run-b", "0.01", RunStatus.Failed) })
        {
            store.Insert(new StoredRun
            {
                Id = id, Experiment = "bpr-mf-synthetic", Method = "bpr-mf", Status = RunStatus.Running, Folder = $"/tmp/{id}", Source = "run",
                CreatedAt = DateTimeOffset.UtcNow, Seed = 7,
                Config = $$"""{ "experiment": "bpr-mf-synthetic", "method": "bpr-mf", "hyper.learning_rate": "{{lr}}", "train.seed": "7" }""",
            });
            for (int e = 1; e <= 3; e++)
                store.AppendEpoch(id, new EpochRecord(e, 0.25, new Dictionary<string, double> { ["bpr"] = 0.7 - 0.05 * e },
                    new Dictionary<string, MetricResult> { ["ndcg@20"] = new(0.1 * e, 0.01, 50, []) }));
            if (status == RunStatus.Failed) store.Fail(id, "step 'bpr' produced a NaN loss (NaN) at epoch 4, batch 0");
        }
        var runs = new[] { "run-a", "run-b" }.Select(id => ReportedRun.Load(store, store.Find(id)!)).ToList();
        store.Dispose();
        // Finish needs a whole RunOutcome (the end-to-end tests store real ones); here the first run's final rows are given by hand.
        var withTest = runs[0] with { Run = runs[0].Run with { Status = RunStatus.Finished, BestEpoch = 3 }, Metrics = [new StoredMetricRow("test", "ndcg@20", 0.31234, 0.0123, 50), new StoredMetricRow("validation", "ndcg@20", 0.3, 0.01, 50)] };
        return new RunComparison([withTest, runs[1]]);
    }

    [Fact]
    public void The_markdown_table_has_a_row_per_run_with_test_metrics_and_the_differing_configuration()
    {
        var markdown = MarkdownReport.Render(Comparison());

        markdown.Should().Contain("| run | experiment | method | status | seed | best epoch | epochs | s/epoch | test ndcg@20 |");
        markdown.Should().Contain("| run-a | bpr-mf-synthetic | bpr-mf | finished | 7 |").And.Contain("| 0.31234 ± 0.01230 |");
        markdown.Should().Contain("| run-b | bpr-mf-synthetic | bpr-mf | failed | 7 |");
        markdown.Should().Contain("- run-b (failed): step 'bpr' produced a NaN loss");
        markdown.Should().Contain("| hyper.learning_rate | 0.001 | 0.01 |");
        markdown.Should().NotContain("| train.seed |", "only keys that differ are listed");
    }

    [Fact]
    public void The_html_page_links_one_png_curve_per_loss_and_validation_metric()
    {
        var comparison = Comparison();
        var folder = Scratch.Folder("untangle-report-out-").FullName;

        var charts = TrainingCurves.Render(comparison, folder);
        var html = HtmlReport.Render(comparison, charts);

        charts.Select(c => c.File).Should().Equal("loss-bpr.png", "validation-ndcg-20.png");
        foreach (var (_, file) in charts)
        {
            var bytes = File.ReadAllBytes(Path.Combine(folder, file));
            bytes.Take(8).Should().Equal([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
            html.Should().Contain($"<img src=\"{file}\"");
        }
        html.Should().Contain("<td>0.31234 ± 0.01230</td>").And.Contain("<td>hyper.learning_rate</td>");
        html.Should().Contain("step &#39;bpr&#39; produced a NaN loss", "text is HTML-escaped");
    }
}
