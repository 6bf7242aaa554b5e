using System.Text.Json;

namespace Untangle.Tests.EndToEnd;

/// <summary>
/// train.row_updates on methods whose steps list their tables beside BPR-MF (FairMI's MF interest
/// backbone, in its main step and in p's pretraining phase; DCID's MF user table), run end to end:
/// deferred updates take the row path (their state is checkpointed beside the optimizer's) and give
/// dense Adam's training up to rounding.
/// </summary>
public class RowUpdatesRunTests
{
    [Theory]
    [InlineData("fairmi-bpr-synthetic", "hyper.sensitive_epochs=20", "hyper.p_epochs=2")]
    [InlineData("dcid-synthetic", "hyper.pretrain_epochs=2", "eval.disentanglement=none")]
    public void Deferred_row_updates_take_the_row_path_and_train_as_dense_adam(string experiment, string set1, string set2)
    {
        var root = Scratch.Folder("untangle-rowruns-").FullName;
        var runs = new Dictionary<string, string>();
        foreach (var mode in new[] { "dense", "deferred" })
        {
            var folder = runs[mode] = Path.Combine(root, mode);
            var (code, _, stderr) = HostProcess.Run(HostProcess.Repo, "run", experiment, "--set", set1, "--set", set2,
                "--set", "train.epochs=3", "--set", "train.eval_every=1", "--set", "train.patience=0", "--set", $"train.row_updates={mode}", "--out", folder);
            code.Should().Be(0, stderr);
        }

        // The row state sits beside the optimizer state of every step that took row updates, and only there.
        string[] RowStates(string folder) => Directory.GetFiles(Path.Combine(folder, "checkpoint"), "*.pt.rows", SearchOption.AllDirectories);
        RowStates(runs["dense"]).Should().BeEmpty();
        var states = RowStates(runs["deferred"]).Select(p => Path.GetRelativePath(Path.Combine(runs["deferred"], "checkpoint"), p)).ToList();
        states.Should().Contain(p => !p.StartsWith("phase-", StringComparison.Ordinal), "the main step reads its tables by row");
        if (experiment.StartsWith("fairmi", StringComparison.Ordinal))
            states.Should().Contain(p => p.StartsWith("phase-preference", StringComparison.Ordinal), "p's pretraining reads its tables by row too");

        var dense = Epochs(runs["dense"]);
        var deferred = Epochs(runs["deferred"]);
        deferred.Should().HaveCount(3);
        dense[2].Bpr.Should().BeLessThan(dense[0].Bpr - 1e-4, "the runs trained");
        for (int e = 0; e < 3; e++)
        {
            deferred[e].Bpr.Should().BeApproximately(dense[e].Bpr, 1e-4, $"epoch {e + 1}'s BPR loss: the same updates up to rounding");
            deferred[e].Ndcg.Should().BeApproximately(dense[e].Ndcg, 2e-3, $"epoch {e + 1}'s validation NDCG@20");
        }
    }

    private static List<(double Bpr, double Ndcg)> Epochs(string folder) =>
        [.. File.ReadLines(Path.Combine(folder, "epochs.jsonl")).Select(line =>
        {
            using var epoch = JsonDocument.Parse(line);
            var e = epoch.RootElement;
            return (e.GetProperty("losses").GetProperty("bpr").GetDouble(), e.GetProperty("validation").GetProperty("ndcg@20").GetDouble());
        })];
}
