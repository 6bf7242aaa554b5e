using System.Text.Json;

namespace Untangle.Tests.EndToEnd;

/// <summary>
/// `serve` in real processes: a queue with good and broken experiments, a clean stop on SIGTERM, and
/// a restart after SIGTERM or kill -9 that resumes the run it left and finishes with the metrics of
/// an uninterrupted run.
/// </summary>
[Collection(HostProcessCollection.Name)]
public class ServeTests(UninterruptedRun reference)
{
    private sealed record Server(string Root, string Queue, string Runs, string Store)
    {
        public string[] Args(bool drain) => ["serve", "--queue", Queue, "--out", Runs, "--store", Store, .. drain ? new[] { "--drain" } : []];
        public string[] Files(string folder) => Directory.Exists(Path.Combine(Queue, folder)) ? Directory.GetFiles(Path.Combine(Queue, folder), "*.json") : [];

        public void Drop(string name, string json)
        {
            Directory.CreateDirectory(Path.Combine(Queue, "incoming"));
            var temp = Path.Combine(Queue, name + ".tmp");
            File.WriteAllText(temp, json);
            File.Move(temp, Path.Combine(Queue, "incoming", name)); // appears whole
        }

        public List<JsonElement> StoredRuns()
        {
            var (code, stdout, stderr) = HostProcess.Run(HostProcess.Repo, "runs", "--store", Store, "--json");
            code.Should().Be(0, stderr);
            return JsonDocument.Parse(stdout).RootElement.EnumerateArray().Select(e => e.Clone()).ToList();
        }
    }

    private static Server NewServer()
    {
        var root = Scratch.Folder("untangle-serve-").FullName;
        // The logs/ folder of appsettings.json's file sinks goes to the working directory: the server runs in root.
        return new Server(root, Path.Combine(root, "queue"), Path.Combine(root, "runs"), Path.Combine(root, "untangle.db"));
    }

    /// <summary>The reference experiment as a queue file: the same keys as `run bpr-mf-synthetic` with the reference settings.</summary>
    private const string Reference = """
        { "extends": "bpr-mf-synthetic", "dataset": { "users": 150, "items": 80 },
          "train": { "epochs": 4, "batch_size": 64 }, "eval": { "metrics": "ndcg@10,recall@10" } }
        """;

    private static bool Snapshot(Server server, int number) =>
        Directory.Exists(server.Runs) && Directory.GetDirectories(server.Runs).Any(r => Directory.Exists(Path.Combine(r, "checkpoint", $"snapshot-{number:D6}")));

    [Fact]
    public void A_queue_of_good_and_broken_experiments_is_drained_each_marked_finished_or_failed_with_its_error()
    {
        var server = NewServer();
        server.Drop("good.json", """{ "extends": "mostpop-synthetic", "dataset": { "users": 150, "items": 80 } }""");
        server.Drop("bad-key.json", """{ "extends": "bpr-mf-synthetic", "hyper": { "learning_rat": 0.1 } }""");
        server.Drop("not-json.json", """{ "method": "bpr-mf", """);
        server.Drop("no-data.json", $$"""{ "extends": "bpr-mf-ml100k", "dataset": { "path": "{{server.Root}}/nonexistent/ml-100k" } }""");
        // Outside the folders a served run may read (the working directory and plugins.json's data folders).
        server.Drop("outside.json", """{ "extends": "bpr-mf-ml100k", "dataset": { "path": "/etc" } }""");
        server.Drop("nan.json", """{ "extends": "bpr-mf-synthetic", "dataset": { "users": 150, "items": 80 }, "hyper": { "learning_rate": 1e30 } }""");

        var (code, stdout, stderr) = HostProcess.Run(server.Root, server.Args(drain: true));

        code.Should().Be(0, stderr);
        stdout.Should().Contain("queue empty: stopping (--drain)").And.Contain("1 finished, 5 failed");
        server.Files("done").Should().ContainSingle().Which.Should().Contain("-good-");
        server.Files("failed").Should().HaveCount(5);
        server.Files("incoming").Concat(server.Files("running")).Should().BeEmpty();
        var errors = Directory.GetFiles(Path.Combine(server.Queue, "failed"), "*.error.txt").ToDictionary(f => Path.GetFileName(f).Split('-')[2], File.ReadAllText);
        errors["bad"].Should().Contain("hyper.learning_rat").And.Contain("not a known setting");
        errors["not"].Should().Contain("not valid JSON");
        errors["no"].Should().Contain("/nonexistent/ml-100k: folder not found");
        errors["outside"].Should().Be("dataset.path /etc: outside the folders serve reads data from ("
            + $"{server.Root}, {Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "shared", "data"))}); add its folder to Untangle:Serve:DataRoots to allow it\n");
        errors["nan"].Should().Contain("produced a NaN loss");
        var runs = server.StoredRuns();
        runs.Should().HaveCount(6);
        runs.Count(r => r.GetProperty("status").GetString() == "failed" && r.GetProperty("error").GetString()!.Length > 0).Should().Be(5);
        runs.Single(r => r.GetProperty("experiment").GetString() == "good").GetProperty("status").GetString().Should().Be("finished");
        Directory.GetFiles(Path.Combine(server.Root, "logs"), "untangle-*.clef").Should().ContainSingle("the compact JSON sink from appsettings.json");
    }

    [Fact]
    public void An_idle_server_stops_cleanly_on_sigterm()
    {
        var server = NewServer();
        using var host = HostProcess.Start(server.Root, server.Args(drain: false));
        host.WaitUntil(() => host.Out.Contains("serving")).Should().BeTrue(host.Out + host.Err);

        host.Terminate();
        var (code, stdout, stderr) = host.WaitForExit(60);

        code.Should().Be(0, stderr);
        stdout.Should().Contain("serve stopped: 0 finished, 0 failed, 0 interrupted");
    }

    [Fact]
    public void A_run_stopped_by_sigterm_stays_in_running_and_the_next_server_resumes_it_to_the_same_metrics()
    {
        var server = NewServer();
        server.Drop("reference.json", Reference);
        using (var host = HostProcess.Start(server.Root, server.Args(drain: false)))
        {
            host.WaitUntil(() => Snapshot(server, 1)).Should().BeTrue(host.Out + host.Err);
            host.Terminate();
            var (code, stdout, stderr) = host.WaitForExit(60);
            code.Should().Be(0, stderr);
            stdout.Should().Contain("stays in").And.Contain("0 finished, 0 failed, 1 interrupted");
        }
        server.Files("running").Should().ContainSingle();
        server.StoredRuns().Single().GetProperty("status").GetString().Should().Be("interrupted");

        var (again, output, errors) = HostProcess.Run(server.Root, server.Args(drain: true));

        again.Should().Be(0, errors);
        output.Should().Contain("resuming").And.Contain("1 finished");
        var run = server.StoredRuns().Single();
        run.GetProperty("status").GetString().Should().Be("finished");
        File.ReadAllText(Path.Combine(server.Runs, run.GetProperty("id").GetString()!, "per_user_test.csv")).Should().Be(reference.PerUser);
    }

    [Fact]
    public void A_server_killed_with_sigkill_mid_run_resumes_the_run_on_restart_to_the_same_metrics()
    {
        var server = NewServer();
        server.Drop("reference.json", Reference);
        using (var host = HostProcess.Start(server.Root, server.Args(drain: false)))
        {
            host.WaitUntil(() => Snapshot(server, 1)).Should().BeTrue(host.Out + host.Err);
            host.KillHard();
        }
        server.Files("running").Should().ContainSingle("the file of the run in flight stays in running/");
        server.StoredRuns().Single().GetProperty("status").GetString().Should().Be("running");

        var (code, stdout, stderr) = HostProcess.Run(server.Root, server.Args(drain: true));

        code.Should().Be(0, stderr);
        stdout.Should().Contain("resuming from").And.Contain("1 finished");
        server.Files("done").Should().ContainSingle();
        var run = server.StoredRuns().Single();
        run.GetProperty("resumes").GetInt32().Should().Be(1);
        File.ReadAllText(Path.Combine(server.Runs, run.GetProperty("id").GetString()!, "per_user_test.csv")).Should().Be(reference.PerUser);
    }
}
