using Untangle.Host.Runs;
using Untangle.Host.Store;

namespace Untangle.Host.Serve;

/// <summary>
/// serve's queue, a folder that people and scripts drop experiment files into:
/// <code>
/// queue/incoming/NAME.json      waiting; taken oldest first (write NAME.json.tmp, then rename, so a half-written file is never taken)
/// queue/running/RUN-ID.json     being trained; RUN-ID.lock beside it is locked by the server training it
/// queue/done/RUN-ID.json        finished; results in RUNS/RUN-ID/
/// queue/failed/RUN-ID.json      failed or refused; RUN-ID.error.txt beside it holds the error (also in the store)
/// </code>
/// Moving a file between these folders is a rename, so a file is always in exactly one of them. Any
/// number of servers, on one machine or several sharing the folder, can serve one queue: an item is
/// claimed by locking running/RUN-ID.lock (<see cref="OwnerLock"/>) before its file is renamed in, so
/// each item is trained by exactly one server; the lock dies with its server, and the item left in
/// running/ is then resumed by exactly one of the servers still alive (or the next to start).
/// </summary>
public sealed class ExperimentQueue(string root, long maxFileBytes = ExperimentQueue.DefaultMaxFileBytes)
{
    public const long DefaultMaxFileBytes = 1 << 20;

    public string Root { get; } = root;
    public string Incoming => Path.Combine(Root, "incoming");
    public string Running => Path.Combine(Root, "running");
    public string Done => Path.Combine(Root, "done");
    public string Failed => Path.Combine(Root, "failed");

    public void Prepare()
    {
        foreach (var dir in new[] { Incoming, Running, Done, Failed }) Directory.CreateDirectory(dir);
    }

    /// <summary>Items in running/ (trained now by some server, or left by one that stopped or died), oldest first.</summary>
    public IReadOnlyList<QueueItem> Unfinished() =>
        Directory.EnumerateFiles(Running, "*.json").Order(StringComparer.Ordinal)
            .Select(p => new QueueItem(Path.GetFileNameWithoutExtension(p), p)).ToList();

    /// <summary>
    /// Claims the oldest item in running/ that no live server holds (left by one that stopped or died),
    /// to be resumed; null when there is none.
    /// </summary>
    public QueueItem? TakeUnfinished(Func<string, bool>? skip = null)
    {
        foreach (var path in Directory.EnumerateFiles(Running, "*.json").Order(StringComparer.Ordinal))
        {
            var runId = Path.GetFileNameWithoutExtension(path);
            if (skip?.Invoke(runId) == true) continue;
            var claim = OwnerLock.TryTake(LockPath(runId));
            if (claim is null) continue; // a live server trains it
            if (!File.Exists(path))
            {
                Drop(claim); // finished and moved on between the listing and the lock
                continue;
            }
            return new QueueItem(runId, path) { Claim = claim };
        }
        return null;
    }

    /// <summary>
    /// Claims the oldest waiting file into running/ under a new run id; null when none waits. A file
    /// that is not a regular file (a FIFO, a device, a socket, a link leaving the queue folder) or is
    /// larger than the limit comes back with <see cref="QueueItem.Refusal"/> set, never opened: the
    /// caller moves it to failed/.
    /// </summary>
    public QueueItem? Take()
    {
        var waiting = new DirectoryInfo(Incoming).EnumerateFiles("*.json")
            .OrderBy(f => f.LastWriteTimeUtc).ThenBy(f => f.Name, StringComparer.Ordinal);
        foreach (var file in waiting)
        {
            var runId = ExperimentStore.NewRunId(Path.GetFileNameWithoutExtension(file.Name));
            var target = Path.Combine(Running, runId + ".json");
            var claim = OwnerLock.TryTake(LockPath(runId));
            if (claim is null) continue; // a run id drawn twice in one second: the next pass draws another
            try
            {
                // A plain rename(2): of servers racing for one file exactly one succeeds, the others find it
                // gone. The target is a fresh run id's, so "overwrite" replaces nothing; it only asks .NET for
                // rename itself. A rename opens no file, whatever the file is (a FIFO would block an open).
                File.Move(file.FullName, target, overwrite: true);
            }
            catch (FileNotFoundException)
            {
                Drop(claim); // taken meanwhile by another server (or its owner): try the next one
                continue;
            }
            return new QueueItem(runId, target) { Claim = claim, Refusal = Refusal(target, file.Name) };
        }
        return null;
    }

    /// <summary>Why the file at <paramref name="path"/> is not taken as an experiment; null when it is a regular file within limits.</summary>
    private string? Refusal(string path, string name)
    {
        var kind = UnixFiles.Of(path);
        if (kind == UnixFiles.Kind.SymbolicLink)
        {
            var real = UnixFiles.RealPath(path);
            var queue = UnixFiles.RealPath(Root) ?? Path.GetFullPath(Root);
            if (real is null) return $"{name} is a symbolic link to a missing file; expected a regular experiment file";
            if (!UnixFiles.IsInside(real, queue))
                return $"{name} is a symbolic link leaving the queue folder; expected a regular experiment file (copy the file into incoming/)";
            kind = UnixFiles.Of(real);
            path = real;
        }
        if (kind != UnixFiles.Kind.Regular)
            return $"{name} is a {Described(kind)}, not a regular file; expected an experiment file (JSON), written beside incoming/ and renamed into it";
        var length = new FileInfo(path).Length;
        if (length > maxFileBytes)
            return $"{name} is {UnixFiles.Size(length)}; experiment files above {UnixFiles.Size(maxFileBytes)} are refused (Untangle:Serve:MaxExperimentBytes)";
        return null;
    }

    private static string Described(UnixFiles.Kind kind) => kind switch
    {
        UnixFiles.Kind.Fifo => "FIFO (named pipe)",
        UnixFiles.Kind.CharacterDevice => "character device",
        UnixFiles.Kind.BlockDevice => "block device",
        UnixFiles.Kind.Socket => "socket",
        UnixFiles.Kind.Directory => "folder",
        UnixFiles.Kind.Missing => "missing file",
        _ => kind.ToString(),
    };

    public void Complete(QueueItem item)
    {
        File.Move(item.Path, Path.Combine(Done, item.RunId + ".json"), overwrite: true);
        Release(item);
    }

    public void Fail(QueueItem item, string error)
    {
        FileWrite.Atomically(Path.Combine(Failed, item.RunId + ".error.txt"), "writing the queue's error file", error + "\n");
        File.Move(item.Path, Path.Combine(Failed, item.RunId + ".json"), overwrite: true);
        Release(item);
    }

    /// <summary>Lets go of an item that stays in running/ (interrupted: the next server to look resumes it).</summary>
    public static void Leave(QueueItem item) => item.Claim?.Dispose();

    private static void Release(QueueItem item)
    {
        if (item.Claim is { } claim) Drop(claim);
    }

    /// <summary>Deletes a lock file whose item is gone from running/, then unlocks: a server that opened the old file then finds the item gone.</summary>
    private static void Drop(OwnerLock claim)
    {
        FileWrite.TryDelete(claim.Path);
        claim.Dispose();
    }

    private string LockPath(string runId) => Path.Combine(Running, runId + ".lock");

    /// <summary>Calls <paramref name="arrived"/> when a file appears in incoming/ (a rename into it included).</summary>
    public FileSystemWatcher Watch(Action arrived)
    {
        var watcher = new FileSystemWatcher(Incoming, "*.json") { NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite };
        watcher.Created += (_, _) => arrived();
        watcher.Renamed += (_, _) => arrived();
        watcher.EnableRaisingEvents = true;
        return watcher;
    }
}
