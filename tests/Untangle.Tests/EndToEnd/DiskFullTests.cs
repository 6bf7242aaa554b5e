using System.Diagnostics;
using System.Text.Json;

namespace Untangle.Tests.EndToEnd;

/// <summary>
/// A full disk under a run's folder and under the store: one line naming the write, the path and the
/// free space; no half-written file left; the run marked failed where the store can be written; the
/// store never called damaged for a failed write; and, once space is freed, the run resumes to the
/// metrics of an uninterrupted run. The disk is a small tmpfs where this process may mount one (root,
/// as CI runs); elsewhere the same write fails through the host's fault point (UNTANGLE_FAULT=...=enospc).
/// </summary>
[Collection(HostProcessCollection.Name)]
public class DiskFullTests(UninterruptedRun reference)
{
    [Fact]
    public void A_full_disk_fails_the_run_in_one_line_leaves_no_half_file_and_the_run_resumes_to_the_same_metrics()
    {
        var root = Scratch.Folder("untangle-full-").FullName;
        using var disk = SmallDisk.TryMount(Path.Combine(root, "disk"), megabytes: 4);
        var folder = Path.Combine(disk?.Path ?? root, "run");
        var store = Path.Combine(root, "store.db"); // on another file system: it can record the failure
        // Room for the config, the synthetic truth (about 210 KiB) and the first snapshot (about 270 KiB), not the second.
        disk?.Fill(leaveKiB: 640);
        var fault = disk is null ? new Dictionary<string, string> { ["UNTANGLE_FAULT"] = "snapshot.fill@2=enospc" } : [];

        var (code, _, stderr) = HostProcess.Run(fault, HostProcess.Repo, ["run", "bpr-mf-synthetic", .. UninterruptedRun.Settings, "--out", folder, "--store", store]);

        code.Should().Be(1);
        var error = stderr.Split('\n').Where(l => l.StartsWith("error: ", StringComparison.Ordinal)).Should().ContainSingle().Which[7..];
        error.Should().MatchRegex(@"^writing( the checkpoint)? .+ failed: no space left on the device \(.+ free there now\)");
        Directory.EnumerateFileSystemEntries(folder, "*", SearchOption.AllDirectories)
            .Where(p => p.EndsWith(".partial", StringComparison.Ordinal) || p.EndsWith(".tmp", StringComparison.Ordinal))
            .Should().BeEmpty("a write that failed leaves nothing under a name that looks whole, nor its temporary file");
        if (Directory.Exists(Path.Combine(folder, "checkpoint", "snapshot-000001")))
            error.Should().EndWith($"; the last checkpoint is intact: once that is fixed, continue with: untangle run --resume {folder}");
        var stored = Stored(store).Single();
        stored.GetProperty("status").GetString().Should().Be("failed");
        stored.GetProperty("error").GetString().Should().Be(error);

        disk?.Free();
        var resumed = HostProcess.Run(HostProcess.Repo, "run", "--resume", folder, "--store", store);

        resumed.Code.Should().Be(0, resumed.Err);
        File.ReadAllText(Path.Combine(folder, "per_user_test.csv")).Should().Be(reference.PerUser);
        Stored(store).Single().GetProperty("status").GetString().Should().Be("finished");
    }

    [Fact]
    public void A_store_that_cannot_be_written_is_reported_as_such_never_as_damaged()
    {
        var root = Scratch.Folder("untangle-full-store-").FullName;
        using var disk = SmallDisk.TryMount(Path.Combine(root, "disk"), megabytes: 2);
        var store = Path.Combine(disk?.Path ?? root, "store.db");
        HostProcess.Run(HostProcess.Repo, "runs", "--store", store).Code.Should().Be(0, "the store is created whole");
        disk?.Fill(leaveKiB: 0);
        var fault = disk is null ? new Dictionary<string, string> { ["UNTANGLE_FAULT"] = "store.write=enospc" } : [];

        var (code, _, stderr) = HostProcess.Run(fault, HostProcess.Repo,
            ["run", "bpr-mf-synthetic", .. UninterruptedRun.Settings, "--out", Path.Combine(root, "run"), "--store", store]);

        code.Should().Be(1);
        stderr.Should().Contain($"experiment store {store}: could not be read or written (")
            .And.Contain("the store is not damaged by this")
            .And.NotContain("move it aside");
        disk?.Free();
        HostProcess.Run(HostProcess.Repo, "runs", "--store", store).Code.Should().Be(0, "the store is readable once space is freed");
    }

    private static List<JsonElement> Stored(string store)
    {
        var (code, stdout, stderr) = HostProcess.Run(HostProcess.Repo, "runs", "--store", store, "--json");
        code.Should().Be(0, stderr);
        return JsonDocument.Parse(stdout).RootElement.EnumerateArray().Select(e => e.Clone()).ToList();
    }

    /// <summary>A tmpfs of a few MiB, mounted for one test and unmounted after it; null where mounting is not allowed.</summary>
    private sealed class SmallDisk : IDisposable
    {
        private SmallDisk(string path) => Path = path;

        public string Path { get; }
        private string Filler => System.IO.Path.Combine(Path, "filler");

        public static SmallDisk? TryMount(string path, int megabytes)
        {
            if (!OperatingSystem.IsLinux() || Environment.UserName != "root") return null;
            Directory.CreateDirectory(path);
            return Command("mount", "-t", "tmpfs", "-o", $"size={megabytes}m", "tmpfs", path) == 0 ? new SmallDisk(path) : null;
        }

        /// <summary>Fills the disk until <paramref name="leaveKiB"/> KiB are free.</summary>
        public void Fill(int leaveKiB)
        {
            var free = new DriveInfo(Path).AvailableFreeSpace;
            using var filler = File.Create(Filler);
            var block = new byte[4096];
            for (long left = free - leaveKiB * 1024L; left > 0; left -= block.Length)
            {
                try { filler.Write(block, 0, (int)Math.Min(block.Length, left)); filler.Flush(); }
                catch (IOException) { break; } // full
            }
        }

        public void Free() => File.Delete(Filler);

        public void Dispose()
        {
            if (Command("umount", "-l", Path) != 0) throw new InvalidOperationException($"umount {Path} failed");
        }

        private static int Command(string name, params string[] args)
        {
            var info = new ProcessStartInfo(name) { RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (var a in args) info.ArgumentList.Add(a);
            using var process = Process.Start(info)!;
            process.WaitForExit();
            return process.ExitCode;
        }
    }
}
