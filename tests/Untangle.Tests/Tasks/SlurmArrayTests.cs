using System.Text.Json;
using Untangle.Tests.EndToEnd;

namespace Untangle.Tests.Tasks;

/// <summary>
/// bench and sweep as Slurm job arrays on a real one-node cluster (<see cref="SlurmCluster"/>): one
/// array task per (experiment, seed[, configuration]), each writing its run folder under the shared
/// --out and its row to the store; --wait and --collect print the tables from what finished and name
/// what failed; the same command again submits only what did not finish.
/// </summary>
public class SlurmArrayTests(SlurmCluster cluster) : IClassFixture<SlurmCluster>
{
    /// <summary>A small MovieLens 100K folder: 80 users rating 15 of 60 items each.</summary>
    private static string SmallMovieLens(string folder)
    {
        Directory.CreateDirectory(folder);
        var random = new Random(5);
        File.WriteAllLines(Path.Combine(folder, "u.data"), Enumerable.Range(1, 80).SelectMany(u =>
            Enumerable.Range(1, 60).OrderBy(_ => random.Next()).Take(15).Select(i => $"{u}\t{i}\t{1 + random.Next(5)}\t{880000000 + u * 100 + i}")));
        return folder;
    }

    [SkippableFact]
    public void A_sweep_runs_as_one_array_names_the_tasks_that_failed_and_a_resubmission_runs_only_those()
    {
        cluster.Require();
        var root = Scratch.Folder("untangle-array-").FullName;
        var good = SmallMovieLens(Path.Combine(root, "ml-small"));
        var later = Path.Combine(root, "ml-later"); // not there yet: its tasks fail
        var sweep = Path.Combine(root, "paths.json");
        File.WriteAllText(sweep, JsonSerializer.Serialize(new
        {
            experiment = "bpr-mf-ml100k",
            parameters = new Dictionary<string, object> { ["dataset.path"] = new[] { good, later } },
            seeds = new[] { 1, 2 },
        }));
        var (out_, store) = (Path.Combine(root, "out"), Path.Combine(root, "untangle.db"));
        string[] args = ["sweep", sweep, "--set", "train.epochs=2", "--out", out_, "--store", store, "--executor", "slurm", "--wait", "--time", "00:10:00"];

        var (code, stdout, stderr) = HostProcess.Run(cluster.Environment, HostProcess.Repo, args);

        code.Should().Be(1, "two tasks failed\n" + stdout + stderr);
        stdout.Should().Contain("2 configurations × 2 seeds = 4 tasks").And.MatchRegex(@"submitted Slurm job \d+: array tasks 0-3 \(4 of 4\)")
            .And.Contain("paths: 4 tasks: 2 finished, 2 failed")
            .And.Contain($"task 2 (bpr-mf-ml100k seed 1, config 1): failed: {later}: folder not found")
            .And.Contain($"task 3 (bpr-mf-ml100k seed 2, config 1): failed: {later}: folder not found")
            .And.Contain($"best: config 0 (dataset.path={good}), 2 of 2 seeds");
        File.ReadAllText(Path.Combine(out_, "slurm", "submit-1.sh")).Should().Contain("#SBATCH --array=0-3").And.Contain("#SBATCH --time=00:10:00")
            .And.Contain(" task ").And.Contain("\"$SLURM_ARRAY_TASK_ID\"");
        var finishedBefore = new[] { "config-0/seed-1", "config-0/seed-2" }.Select(f => File.GetLastWriteTimeUtc(Path.Combine(out_, f, "metrics.json"))).ToList();

        // The data arrives; the same command submits only the two failed tasks, which continue their own run folders.
        SmallMovieLens(later);
        var (again, output, errors) = HostProcess.Run(cluster.Environment, HostProcess.Repo, args);

        again.Should().Be(0, output + errors);
        output.Should().Contain("2 of 4 tasks finished before; they are not run again").And.MatchRegex(@"array tasks 2-3 \(2 of 4\)")
            .And.Contain("paths: 4 tasks: 4 finished").And.Contain("config  dataset.path");
        new[] { "config-0/seed-1", "config-0/seed-2" }.Select(f => File.GetLastWriteTimeUtc(Path.Combine(out_, f, "metrics.json"))).Should().Equal(finishedBefore);
        File.ReadAllLines(Path.Combine(out_, "slurm", "submissions.tsv")).Select(l => l.Split('\t')[1]).Should().Equal("0-3", "2-3");
        var runs = JsonDocument.Parse(HostProcess.Run(HostProcess.Repo, "runs", "--store", store, "--json").Out).RootElement.EnumerateArray().ToList();
        runs.Should().HaveCount(4, "a resubmitted task continues its own row").And.OnlyContain(r => r.GetProperty("status").GetString() == "finished");
        runs.Where(r => r.GetProperty("resumes").GetInt32() == 1).Select(r => r.GetProperty("folder").GetString())
            .Should().BeEquivalentTo([Path.Combine(out_, "config-1", "seed-1"), Path.Combine(out_, "config-1", "seed-2")]);
        var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(out_, "sweep.json"))).RootElement;
        json.GetProperty("configurations").GetArrayLength().Should().Be(2);
        json.GetProperty("best").GetProperty("seeds").GetArrayLength().Should().Be(2);

        var (collected, table, _) = HostProcess.Run(cluster.Environment, HostProcess.Repo, "sweep", "--collect", out_);
        collected.Should().Be(0);
        table.Should().Contain(File.ReadAllText(Path.Combine(out_, "sweep.txt")).Trim());
    }

    [SkippableFact]
    public void A_bench_submitted_without_waiting_is_collected_once_its_array_ends()
    {
        cluster.Require();
        var root = Scratch.Folder("untangle-array-").FullName;
        var (out_, store) = (Path.Combine(root, "out"), Path.Combine(root, "untangle.db"));
        var (code, stdout, stderr) = HostProcess.Run(cluster.Environment, HostProcess.Repo, "bench", "baselines-synthetic", "--seeds", "1",
            "--set", "dataset.users=150", "--set", "dataset.items=80", "--set", "train.epochs=2", "--set", "eval.disentanglement=none", "--out", out_, "--store", store, "--executor", "slurm");

        code.Should().Be(0, stdout + stderr);
        stdout.Should().MatchRegex(@"submitted Slurm job \d+: array tasks 0-2 \(3 of 3\)").And.Contain($"untangle bench --collect {out_}");
        string table = "";
        var clock = System.Diagnostics.Stopwatch.StartNew();
        do
        {
            Thread.Sleep(1000);
            (code, table, stderr) = HostProcess.Run(cluster.Environment, HostProcess.Repo, "bench", "--collect", out_);
            code.Should().Be(0, table + stderr);
        }
        while (!table.Contains("3 tasks: 3 finished") && clock.Elapsed < TimeSpan.FromMinutes(4));

        table.Should().Contain("bench baselines-synthetic: 3 tasks: 3 finished").And.Contain("benchmark baselines-synthetic: test metrics, mean ± s.e. over seeds 1");
        foreach (var experiment in new[] { "mostpop-synthetic", "bpr-mf-synthetic", "lightgcn-synthetic" })
            table.Should().MatchRegex($@"\n{experiment} +0\.\d{{5}} ± n/a");
        File.Exists(Path.Combine(out_, "bench.json")).Should().BeTrue();
        JsonDocument.Parse(HostProcess.Run(HostProcess.Repo, "runs", "--store", store, "--json").Out).RootElement.EnumerateArray()
            .Select(r => r.GetProperty("experiment").GetString()).Should().BeEquivalentTo(["mostpop-synthetic", "bpr-mf-synthetic", "lightgcn-synthetic"]);
    }
}
