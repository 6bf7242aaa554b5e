using System.Text.Json;
using Untangle.Tests.EndToEnd;

namespace Untangle.Tests.Tasks;

/// <summary>`sweep` on this machine: each task in a child process, recorded in the store, resumable by running the same command again.</summary>
public class LocalSweepTests
{
    [Fact]
    public void A_local_sweep_picks_the_best_configuration_on_validation_and_the_same_command_runs_nothing_again()
    {
        var root = Scratch.Folder("untangle-sweep-").FullName;
        var sweep = Path.Combine(root, "sizes.json");
        File.WriteAllText(sweep, """
            { "experiment": "bpr-mf-synthetic", "metric": "recall@20", "seeds": [1, 2],
              "parameters": { "hyper.embedding_size": [4, 32] } }
            """);
        var (out_, store) = (Path.Combine(root, "out"), Path.Combine(root, "untangle.db"));
        string[] args = ["sweep", sweep, "--set", "dataset.users=150", "--set", "dataset.items=80", "--set", "train.epochs=3", "--set", "eval.disentanglement=none", "--out", out_, "--store", store];

        var (code, stdout, stderr) = HostProcess.Run(HostProcess.Repo, args);

        code.Should().Be(0, stdout + stderr);
        stdout.Should().Contain("sweep sizes: bpr-mf-synthetic, grid search, 2 configurations × 2 seeds = 4 tasks, chosen on validation recall@20")
            .And.Contain("sizes: 4 tasks: 4 finished").And.MatchRegex(@"best: config [01] \(hyper.embedding_size=(4|32)\), 2 of 2 seeds");
        var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(out_, "sweep.json"))).RootElement;
        var validation = json.GetProperty("configurations").EnumerateArray().Select(c => c.GetProperty("validation").GetProperty("mean").GetDouble()).ToList();
        json.GetProperty("best").GetProperty("configuration").GetInt32().Should().Be(validation.IndexOf(validation.Max()), "the best is the highest validation mean");
        json.GetProperty("best").GetProperty("test").GetProperty("recall@20").GetProperty("per_seed").GetArrayLength().Should().Be(2);
        JsonDocument.Parse(HostProcess.Run(HostProcess.Repo, "runs", "--store", store, "--json").Out).RootElement.GetArrayLength().Should().Be(4);

        var (again, output, errors) = HostProcess.Run(HostProcess.Repo, args);
        again.Should().Be(0, output + errors);
        output.Should().Contain("4 of 4 tasks finished before; they are not run again").And.NotContain("training into");
        JsonDocument.Parse(HostProcess.Run(HostProcess.Repo, "runs", "--store", store, "--json").Out).RootElement.GetArrayLength().Should().Be(4, "nothing ran twice");

        var (other, _, refused) = HostProcess.Run(HostProcess.Repo, [.. args, "--set", "train.epochs=4"]);
        other.Should().Be(1);
        refused.Should().Contain($"error: --out {out_}: holds sweep sizes with other tasks or settings");
    }

    [Fact]
    public void A_sweep_refuses_test_selected_runs_before_anything_runs()
    {
        var out_ = Path.Combine(Scratch.Folder("untangle-sweep-test-selected-").FullName, "out");

        var (code, _, stderr) = HostProcess.Run(HostProcess.Repo, "sweep", "bpr-mf-synthetic-random", "--set", "eval.select_on=test", "--out", out_);

        code.Should().NotBe(0);
        stderr.Should().Contain("sets eval.select_on = test; a sweep chooses its configuration on validation");
        Directory.Exists(out_).Should().BeFalse("nothing was planned");
    }

    [Fact]
    public void The_kubernetes_executor_writes_an_indexed_job_for_the_plan_and_collect_names_what_has_not_run()
    {
        var root = Scratch.Folder("untangle-k8s-").FullName;
        var out_ = Path.Combine(root, "out");
        var (code, stdout, stderr) = HostProcess.Run(HostProcess.Repo, "sweep", "bpr-mf-synthetic-random", "--executor", "kubernetes",
            "--image", "registry.example.org/untangle:0.9.0", "--out", out_, "--store", "postgres://untangle@db.example.org/untangle");

        code.Should().Be(0, stdout + stderr);
        stdout.Should().Contain($"wrote {out_}/kubernetes-job.yaml: an indexed Job of 12 tasks").And.Contain($"kubectl apply -f {out_}/kubernetes-job.yaml");
        File.ReadAllText(Path.Combine(out_, "kubernetes-job.yaml")).Should().Contain("completions: 12").And.Contain($"\"{out_}/tasks.json\"");
        File.ReadAllText(Path.Combine(out_, "tasks.json")).Should().Contain("\"store\": \"postgres://untangle@db.example.org/untangle\"");

        var (collected, table, _) = HostProcess.Run(HostProcess.Repo, "sweep", "bpr-mf-synthetic-random", "--collect", out_);
        collected.Should().Be(0);
        table.Should().Contain("bpr-mf-synthetic-random: 12 tasks: 12 not run").And.Contain("no task has finished yet");
        var (wrong, _, refused) = HostProcess.Run(HostProcess.Repo, "bench", "--collect", out_);
        wrong.Should().Be(1);
        refused.Should().Contain($"error: --collect {out_}: holds sweep bpr-mf-synthetic-random, not a bench; collect it with: untangle sweep --collect {out_}");
    }
}
