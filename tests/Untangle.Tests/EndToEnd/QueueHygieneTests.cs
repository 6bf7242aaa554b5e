using System.Runtime.InteropServices;
using System.Text.Json;
using Untangle.Host.Runs;

namespace Untangle.Tests.EndToEnd;

/// <summary>
/// A queue written by a careless or hostile hand: FIFOs, links out of the queue, huge files, data
/// outside the allowed folders, data errors that would quote another file, and a run past its time.
/// The server never hangs, never opens what it refuses, and moves each refused file to failed/ with its reason.
/// </summary>
[Collection(HostProcessCollection.Name)]
public class QueueHygieneTests
{
    private static (string Root, string Queue, string Runs, string Store) NewQueue()
    {
        var root = Scratch.Folder("untangle-hygiene-").FullName;
        var queue = Path.Combine(root, "queue");
        Directory.CreateDirectory(Path.Combine(queue, "incoming"));
        return (root, queue, Path.Combine(root, "runs"), Path.Combine(root, "untangle.db"));
    }

    private static string[] Serve((string Root, string Queue, string Runs, string Store) q) =>
        ["serve", "--queue", q.Queue, "--out", q.Runs, "--store", q.Store, "--drain"];

    private static Dictionary<string, string> Errors(string queue) =>
        Directory.GetFiles(Path.Combine(queue, "failed"), "*.error.txt")
            .ToDictionary(f => Path.GetFileName(f).Split('-')[2], File.ReadAllText);

    [Fact]
    public void A_fifo_a_link_out_of_the_queue_and_an_oversized_file_are_refused_unread_and_the_queue_goes_on()
    {
        var q = NewQueue();
        var incoming = Path.Combine(q.Queue, "incoming");
        Mkfifo(Path.Combine(incoming, "fifo.json"), 0x1B6).Should().Be(0, "mkfifo works here");
        File.CreateSymbolicLink(Path.Combine(incoming, "link.json"), "/etc/passwd");
        File.WriteAllText(Path.Combine(incoming, "big.json"), "{" + new string(' ', 2 << 20) + "}");
        File.WriteAllText(Path.Combine(incoming, "good.json"), """{ "extends": "mostpop-synthetic", "dataset": { "users": 150, "items": 80 } }""");

        using var server = HostProcess.Start(q.Root, Serve(q));
        var (code, stdout, stderr) = server.WaitForExit(120);

        code.Should().Be(0, stderr);
        stdout.Should().Contain("1 finished, 3 failed");
        var errors = Errors(q.Queue);
        errors["fifo"].Should().StartWith("fifo.json is a FIFO (named pipe), not a regular file");
        errors["link"].Should().StartWith("link.json is a symbolic link leaving the queue folder");
        errors["big"].Should().StartWith("big.json is 2 MiB; experiment files above 1 MiB are refused (Untangle:Serve:MaxExperimentBytes)");
        errors.Values.Concat([stdout]).Should().NotContain(e => e.Contains("root:"), "nothing of /etc/passwd is read into an error");
        var fifo = Directory.GetFiles(Path.Combine(q.Queue, "failed"), "*-fifo-*.json").Single();
        UnixFiles.Of(fifo).Should().Be(UnixFiles.Kind.Fifo, "the FIFO was renamed, never opened");
        Directory.GetFiles(Path.Combine(q.Queue, "done"), "*-good-*.json").Should().ContainSingle();
        JsonDocument.Parse(HostProcess.Run(q.Root, "runs", "--store", q.Store, "--json").Out).RootElement.EnumerateArray()
            .Count(r => r.GetProperty("status").GetString() == "failed").Should().Be(3, "refused files are recorded in the store too");
    }

    [Fact]
    public void A_served_runs_data_error_names_the_file_and_line_without_quoting_it()
    {
        var q = NewQueue();
        var data = Directory.CreateDirectory(Path.Combine(q.Root, "data", "ml-100k")).FullName;
        File.WriteAllText(Path.Combine(data, "u.data"), "1\t2\t4\t881250949\n1\t3\tSECRET-TEXT\t881250950\n");
        File.WriteAllText(Path.Combine(q.Queue, "incoming", "data.json"), $$"""{ "extends": "bpr-mf-ml100k", "dataset": { "path": "{{data}}" } }""");

        var (code, _, stderr) = HostProcess.Run(q.Root, Serve(q));

        code.Should().Be(0, stderr);
        var error = Errors(q.Queue)["data"];
        error.Should().StartWith($"{Path.Combine(data, "u.data")}:2: rating '…' is not a number; expected");
        error.Should().NotContain("SECRET").And.NotContain("881250950", "neither the field nor its line is quoted");
    }

    [Fact]
    public void A_run_past_serves_time_limit_checkpoints_and_fails_resumably()
    {
        var q = NewQueue();
        File.WriteAllText(Path.Combine(q.Queue, "incoming", "long.json"),
            """{ "extends": "bpr-mf-synthetic", "dataset": { "users": 150, "items": 80 }, "train": { "epochs": 400, "patience": 1000, "batch_size": 64 } }""");
        var limit = new Dictionary<string, string> { ["Untangle__Serve__MaxRunMinutes"] = "0.05" }; // 3 s

        var (code, stdout, stderr) = HostProcess.Run(limit, q.Root, Serve(q));

        code.Should().Be(0, stderr);
        stdout.Should().Contain("0 finished, 1 failed");
        var folder = Directory.GetDirectories(q.Runs).Single();
        Errors(q.Queue)["long"].Should().StartWith("stopped after 0.05 minutes, serve's limit (Untangle:Serve:MaxRunMinutes); interrupted at epoch")
            .And.Contain($"continue it with: untangle run --resume {folder}");
        Directory.GetDirectories(Path.Combine(folder, "checkpoint"), "snapshot-*").Should().NotBeEmpty();
    }

    [DllImport("libc", EntryPoint = "mkfifo", SetLastError = true)]
    private static extern int Mkfifo(string path, uint mode);
}
