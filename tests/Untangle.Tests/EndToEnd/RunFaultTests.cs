using System.Text.Json;

namespace Untangle.Tests.EndToEnd;

/// <summary>
/// `run` under faults, in real processes: killed with SIGKILL part-way, stopped with SIGTERM, resumed
/// with `run --resume`, and refusing a damaged checkpoint or store.
/// </summary>
[Collection(HostProcessCollection.Name)]
public class RunFaultTests(UninterruptedRun reference)
{
    private static string[] Run(string folder, string store) => ["run", "bpr-mf-synthetic", .. UninterruptedRun.Settings, "--out", folder, "--store", store];

    private static bool HasSnapshot(string folder, int number) =>
        Directory.Exists(Path.Combine(folder, "checkpoint", $"snapshot-{number:D6}"));

    private static JsonElement StoredRun(string store, string folder)
    {
        var (code, stdout, stderr) = HostProcess.Run(HostProcess.Repo, "runs", "--store", store, "--json");
        code.Should().Be(0, stderr);
        return JsonDocument.Parse(stdout).RootElement.EnumerateArray().Single(r => r.GetProperty("folder").GetString() == folder).Clone();
    }

    [Fact]
    public void A_run_killed_with_sigkill_mid_epoch_resumes_from_its_last_checkpoint_to_the_same_metrics()
    {
        var root = Scratch.Folder("untangle-kill9-").FullName;
        var (folder, store) = (Path.Combine(root, "run"), Path.Combine(root, "store.db"));
        using (var host = HostProcess.Start(HostProcess.Repo, Run(folder, store)))
        {
            // Epoch 1's snapshot appears as epoch 2 starts: kill there, in the middle of epoch 2.
            host.WaitUntil(() => HasSnapshot(folder, 1)).Should().BeTrue(host.Out + host.Err);
            host.KillHard();
        }
        File.Exists(Path.Combine(folder, "metrics.json")).Should().BeFalse("the run was killed before it finished");
        HasSnapshot(folder, 4).Should().BeFalse("the kill struck before the last epoch's snapshot");
        StoredRun(store, folder).GetProperty("status").GetString().Should().Be("running", "a killed process cannot mark its run");
        StoredRun(store, folder).GetProperty("owner").GetString().Should().Be("gone", "runs asks the folder's lock, which died with the process");

        var (code, stdout, stderr) = HostProcess.Run(HostProcess.Repo, "run", "--resume", folder, "--store", store);

        code.Should().Be(0, stderr);
        stdout.Should().Contain("resuming from").And.Contain("0 batches done");
        File.ReadAllText(Path.Combine(folder, "per_user_test.csv")).Should().Be(reference.PerUser);
        UninterruptedRun.Essentials(File.ReadAllText(Path.Combine(folder, "metrics.json"))).Should().Be(UninterruptedRun.Essentials(reference.Metrics));
        File.ReadLines(Path.Combine(folder, "epochs.jsonl")).Should().HaveCount(4);
        var stored = StoredRun(store, folder);
        stored.GetProperty("status").GetString().Should().Be("finished");
        stored.GetProperty("resumes").GetInt32().Should().Be(1);
        stored.GetProperty("epochs").GetInt32().Should().Be(4);
    }

    [Fact]
    public void Sigterm_finishes_the_step_checkpoints_marks_the_run_interrupted_and_exits_0_and_the_run_resumes_by_its_id()
    {
        var root = Scratch.Folder("untangle-term-").FullName;
        var (folder, store) = (Path.Combine(root, "run"), Path.Combine(root, "store.db"));
        int code;
        string stdout, stderr;
        using (var host = HostProcess.Start(HostProcess.Repo, Run(folder, store)))
        {
            host.WaitUntil(() => HasSnapshot(folder, 1)).Should().BeTrue(host.Out + host.Err);
            host.Terminate();
            (code, stdout, stderr) = host.WaitForExit();
        }

        code.Should().Be(0, stderr);
        stdout.Should().Contain("is interrupted; continue it with: untangle run --resume");
        var stored = StoredRun(store, folder);
        stored.GetProperty("status").GetString().Should().Be("interrupted");
        stored.GetProperty("error").GetString().Should().StartWith("interrupted at epoch");
        File.Exists(Path.Combine(folder, "metrics.json")).Should().BeFalse();

        var id = stored.GetProperty("id").GetString()!;
        (code, stdout, stderr) = HostProcess.Run(HostProcess.Repo, "run", "--resume", id, "--store", store);

        code.Should().Be(0, stderr);
        stdout.Should().Contain("resuming from");
        File.ReadAllText(Path.Combine(folder, "per_user_test.csv")).Should().Be(reference.PerUser);
        StoredRun(store, folder).GetProperty("status").GetString().Should().Be("finished");
    }

    [Fact]
    public void A_damaged_checkpoint_is_reported_and_not_loaded()
    {
        var folder = Path.Combine(Scratch.Folder("untangle-damaged-").FullName, "run");
        CopyFolder(reference.Folder, folder);
        var latest = Directory.GetDirectories(Path.Combine(folder, "checkpoint")).Max()!;
        var model = Directory.GetFiles(Path.Combine(latest, "modules")).First();
        using (var f = new FileStream(model, FileMode.Open)) f.SetLength(f.Length - 100);
        File.Delete(Path.Combine(folder, "metrics.json"));

        var (code, _, stderr) = HostProcess.Run(HostProcess.Repo, "run", "--resume", folder, "--store", Path.Combine(folder, "..", "fresh.db"));

        code.Should().Be(1);
        stderr.Trim().Should().StartWith($"error: checkpoint {latest}: modules/{Path.GetFileName(model)} is").And.Contain("(truncated or overwritten); it is not loaded");
        File.Exists(Path.Combine(folder, "metrics.json")).Should().BeFalse("nothing was evaluated from the damaged checkpoint");
    }

    [Fact]
    public void A_damaged_store_is_reported_with_a_clear_error()
    {
        var store = Path.Combine(Scratch.Folder("untangle-badstore-").FullName, "untangle.db");
        File.WriteAllText(store, "this is not a database, and it is long enough to have a header of sorts...........");

        var (code, _, stderr) = HostProcess.Run(HostProcess.Repo, "runs", "--store", store);

        code.Should().Be(1);
        stderr.Trim().Should().StartWith($"error: experiment store {store}: not a readable SQLite store").And.Contain("move it aside");
    }

    private static void CopyFolder(string from, string to)
    {
        foreach (var dir in Directory.GetDirectories(from, "*", SearchOption.AllDirectories))
            Directory.CreateDirectory(dir.Replace(from, to));
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
            File.Copy(file, file.Replace(from, to));
    }
}
