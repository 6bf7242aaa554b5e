using System.Text.Json;

namespace Untangle.Tests.EndToEnd;

/// <summary>
/// A run folder belongs to one live process (issue: nothing lost, nothing hung): `--out` onto an
/// earlier run, `run --resume` of a live run, and several servers on one queue, in real processes.
/// </summary>
[Collection(HostProcessCollection.Name)]
public class OwnershipTests(UninterruptedRun reference, Store.PostgresServer postgres) : IClassFixture<Store.PostgresServer>
{
    private static readonly string[] Longer = ["--set", "train.epochs=40", "--set", "train.patience=1000"];

    [Fact]
    public void Out_onto_an_earlier_runs_folder_fails_before_anything_is_written_and_names_the_run()
    {
        var root = Scratch.Folder("untangle-out-").FullName;
        var earlier = Path.Combine(root, "earlier");
        CopyFolder(reference.Folder, earlier);
        var before = Fingerprint(earlier);
        var earlierRun = JsonDocument.Parse(File.ReadAllText(Path.Combine(earlier, "owner.json"))).RootElement.GetProperty("Run").GetString();

        var (code, _, stderr) = HostProcess.Run(HostProcess.Repo, ["run", "bpr-mf-synthetic", .. UninterruptedRun.Settings, "--out", earlier, "--store", Path.Combine(root, "store.db")]);

        code.Should().Be(1);
        stderr.Trim().Should().StartWith($"error: --out {earlier}: holds run {earlierRun}'s files (config.json, metrics.json, epochs.jsonl, per_user_test.csv, run.log")
            .And.EndWith($"); choose a new folder, or continue that run with: untangle run --resume {earlier}");
        Fingerprint(earlier).Should().Equal(before, "metrics.json, run.log and the rest are as the earlier run left them");
    }

    [Fact]
    public void Resuming_a_live_run_is_refused_naming_its_owner_and_the_live_run_ends_as_if_alone()
    {
        var root = Scratch.Folder("untangle-live-").FullName;
        var (folder, store) = (Path.Combine(root, "run"), Path.Combine(root, "store.db"));
        using var live = HostProcess.Start(HostProcess.Repo, ["run", "bpr-mf-synthetic", .. UninterruptedRun.Settings, .. Longer, "--out", folder, "--store", store]);
        live.WaitUntil(() => Directory.Exists(Path.Combine(folder, "checkpoint", "snapshot-000001"))).Should().BeTrue(live.Out + live.Err);

        var (code, _, stderr) = HostProcess.Run(HostProcess.Repo, "run", "--resume", folder, "--store", store);
        var listed = JsonDocument.Parse(HostProcess.Run(HostProcess.Repo, "runs", "--store", store, "--json").Out).RootElement[0].GetProperty("owner").GetString();
        var stillLive = !live.HasExited;

        code.Should().Be(1);
        stillLive.Should().BeTrue("the refusal must be about a live run, not a finished one; make the live run longer if this fails");
        stderr.Should().Contain($"is being trained there by pid {live.Id} on {Environment.MachineName}")
            .And.Contain("a run is trained by one process at a time");
        listed.Should().StartWith($"pid {live.Id} on {Environment.MachineName}", "runs names the live owner of a running run");
        live.WaitForExit().Code.Should().Be(0, live.Err);
        var epochs = File.ReadLines(Path.Combine(folder, "epochs.jsonl")).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("epoch").GetInt32()).ToList();
        epochs.Should().Equal(Enumerable.Range(1, 40), "one process wrote the epoch log, in order");
        File.ReadAllText(Path.Combine(folder, "run.log")).Should().NotContain("resuming from");
    }

    /// <summary>Three workers, twelve experiments, one queue folder; the store a SQLite file beside them, or a PostgreSQL database all three write to.</summary>
    [SkippableTheory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public void Three_servers_on_one_queue_train_every_experiment_exactly_once(string database)
    {
        var root = Scratch.Folder("untangle-workers-").FullName;
        var (queue, runs) = (Path.Combine(root, "queue"), Path.Combine(root, "runs"));
        var store = database == "postgres" ? postgres.NewDatabase() : Path.Combine(root, "untangle.db");
        Directory.CreateDirectory(Path.Combine(queue, "incoming"));
        for (int i = 1; i <= 12; i++)
        {
            var temp = Path.Combine(queue, $"e{i}.tmp");
            File.WriteAllText(temp, $$"""{ "extends": "bpr-mf-synthetic", "dataset": { "users": 150, "items": 80 }, "train": { "epochs": {{2 + i % 3}}, "batch_size": 64, "seed": {{i}} }, "eval": { "disentanglement": "none" } }""");
            File.Move(temp, Path.Combine(queue, "incoming", $"e{i}.json"));
        }

        var servers = Enumerable.Range(0, 3).Select(_ => HostProcess.Start(root, "serve", "--queue", queue, "--out", runs, "--store", store, "--drain")).ToList();
        try
        {
            foreach (var server in servers) server.WaitForExit(300).Code.Should().Be(0, server.Err);
        }
        finally
        {
            foreach (var server in servers) server.Dispose();
        }

        Directory.GetFiles(Path.Combine(queue, "done"), "*.json").Should().HaveCount(12, string.Join("\n", servers.Select(s => s.Out)));
        Directory.GetFiles(Path.Combine(queue, "failed")).Should().BeEmpty();
        Directory.GetFiles(Path.Combine(queue, "running")).Should().BeEmpty("locks go with their items");
        Directory.GetFiles(Path.Combine(queue, "incoming")).Should().BeEmpty();
        var stored = JsonDocument.Parse(HostProcess.Run(root, "runs", "--store", store, "--json").Out).RootElement.EnumerateArray().ToList();
        stored.Should().HaveCount(12).And.OnlyContain(r => r.GetProperty("status").GetString() == "finished" && r.GetProperty("resumes").GetInt32() == 0
            && r.GetProperty("host").GetString() == Environment.MachineName);
        stored.Select(r => r.GetProperty("experiment").GetString()).Should().OnlyHaveUniqueItems();
        foreach (var run in Directory.GetDirectories(runs))
        {
            var epochs = File.ReadLines(Path.Combine(run, "epochs.jsonl")).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("epoch").GetInt32()).ToList();
            epochs.Should().Equal(Enumerable.Range(1, epochs.Count), $"{run} was trained by one server");
        }
        var trainedBy = servers.Select(s => System.Text.RegularExpressions.Regex.Matches(s.Out, "run [^ ]+ finished").Count).ToList();
        trainedBy.Sum().Should().Be(12, "each run finished once, in one of the servers");
    }

    [Fact]
    public void A_second_server_leaves_the_run_a_live_server_trains_alone()
    {
        var root = Scratch.Folder("untangle-second-").FullName;
        var (queue, runs, store) = (Path.Combine(root, "queue"), Path.Combine(root, "runs"), Path.Combine(root, "untangle.db"));
        Directory.CreateDirectory(Path.Combine(queue, "incoming"));
        File.WriteAllText(Path.Combine(queue, "long.tmp"),
            """{ "extends": "bpr-mf-synthetic", "dataset": { "users": 150, "items": 80 }, "train": { "epochs": 40, "patience": 1000, "batch_size": 64 } }""");
        File.Move(Path.Combine(queue, "long.tmp"), Path.Combine(queue, "incoming", "long.json"));
        using var first = HostProcess.Start(root, "serve", "--queue", queue, "--out", runs, "--store", store, "--drain");
        first.WaitUntil(() => Directory.Exists(runs) && Directory.GetDirectories(runs).Any(r => Directory.Exists(Path.Combine(r, "checkpoint", "snapshot-000001"))))
            .Should().BeTrue(first.Out + first.Err);

        var (code, stdout, stderr) = HostProcess.Run(root, "serve", "--queue", queue, "--out", runs, "--store", store, "--drain");
        var stillLive = !first.HasExited;

        code.Should().Be(0, stderr);
        stillLive.Should().BeTrue("the second server must meet a live run");
        stdout.Should().Contain("queue empty: stopping (--drain)").And.NotContain("resuming");
        first.WaitForExit().Code.Should().Be(0, first.Err);
        var run = Directory.GetDirectories(runs).Single();
        File.ReadLines(Path.Combine(run, "epochs.jsonl")).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("epoch").GetInt32())
            .Should().Equal(Enumerable.Range(1, 40));
        Directory.GetFiles(Path.Combine(queue, "done"), "*.json").Should().ContainSingle();
    }

    private static void CopyFolder(string from, string to)
    {
        foreach (var dir in Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories))
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, dir)));
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
            File.Copy(file, Path.Combine(to, Path.GetRelativePath(from, file)));
    }

    private static List<string> Fingerprint(string folder) =>
        Directory.EnumerateFileSystemEntries(folder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .Select(p => File.Exists(p) ? $"{Path.GetRelativePath(folder, p)} {Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(p)))}" : Path.GetRelativePath(folder, p))
            .ToList();
}
