using System.Text.Json;

namespace Untangle.Tests.EndToEnd;

/// <summary>`run` records into the store; `runs` lists what it recorded and `report` compares runs.</summary>
public class StoreCommandsTests
{
    [Fact]
    public void Runs_lists_recorded_runs_and_report_compares_them_in_markdown_and_html_with_curves()
    {
        var root = Scratch.Folder("untangle-report-").FullName;
        var store = Path.Combine(root, "untangle.db");
        foreach (var (name, lr) in new[] { ("slow", "0.001"), ("fast", "0.01") })
        {
            var (code, _, stderr) = HostProcess.Run(HostProcess.Repo, "run", "bpr-mf-synthetic", "--set", "dataset.users=150", "--set", "dataset.items=80",
                "--set", "train.epochs=2", "--set", $"hyper.learning_rate={lr}", "--out", Path.Combine(root, name), "--store", store);
            code.Should().Be(0, stderr);
        }

        var (listed, table, listErr) = HostProcess.Run(HostProcess.Repo, "runs", "--store", store);
        var (_, json, _) = HostProcess.Run(HostProcess.Repo, "runs", "--store", store, "--json");
        var ids = JsonDocument.Parse(json).RootElement.EnumerateArray().Select(r => r.GetProperty("id").GetString()!).ToList();
        var (reported, markdown, reportErr) = HostProcess.Run(HostProcess.Repo, ["report", .. ids, "--store", store, "--out", Path.Combine(root, "report")]);

        listed.Should().Be(0, listErr);
        table.Should().Contain($"({ids.Count} runs)").And.Contain("bpr-mf-synthetic").And.Contain("finished").And.Contain("ndcg@20 0.");
        ids.Should().HaveCount(2);
        foreach (var id in ids) table.Should().Contain(id);
        reported.Should().Be(0, reportErr);
        markdown.Should().Contain("| run | experiment | method | status |").And.Contain("| hyper.learning_rate | 0.01 | 0.001 |");
        var html = File.ReadAllText(Path.Combine(root, "report", "report.html"));
        html.Should().Contain("<img src=\"loss-bpr.png\"").And.Contain("<img src=\"validation-ndcg-20.png\"");
        new FileInfo(Path.Combine(root, "report", "loss-bpr.png")).Length.Should().BeGreaterThan(1000);
        File.ReadAllText(Path.Combine(root, "report", "report.md")).Should().Be(markdown[..markdown.IndexOf("report: ", StringComparison.Ordinal)].TrimEnd() + "\n");
    }
}
