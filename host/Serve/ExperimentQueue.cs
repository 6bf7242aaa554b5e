using Untangle.Host.Store;

namespace Untangle.Host.Serve;

/// <summary>
/// serve's queue, a folder that people and scripts drop experiment files into:
/// <code>
/// queue/incoming/NAME.json      waiting; taken oldest first (write NAME.json.tmp, then rename, so a half-written file is never taken)
/// queue/running/RUN-ID.json     being trained; after a crash or a stop the next serve resumes it first
/// queue/done/RUN-ID.json        finished; results in RUNS/RUN-ID/
/// queue/failed/RUN-ID.json      failed; RUN-ID.error.txt beside it holds the error (also in the store)
/// </code>
/// Moving a file between these folders is a rename, so a file is always in exactly one of them.
/// </summary>
public sealed class ExperimentQueue(string root)
{
    public string Root { get; } = root;
    public string Incoming => Path.Combine(Root, "incoming");
    public string Running => Path.Combine(Root, "running");
    public string Done => Path.Combine(Root, "done");
    public string Failed => Path.Combine(Root, "failed");

    public void Prepare()
    {
        foreach (var dir in new[] { Incoming, Running, Done, Failed }) Directory.CreateDirectory(dir);
    }

    /// <summary>Items a previous server left in running/ (killed, or stopped with a checkpoint), oldest first.</summary>
    public IReadOnlyList<QueueItem> Unfinished() =>
        Directory.EnumerateFiles(Running, "*.json").Order(StringComparer.Ordinal)
            .Select(p => new QueueItem(Path.GetFileNameWithoutExtension(p), p)).ToList();

    /// <summary>Takes the oldest waiting file into running/ under a new run id; null when none waits.</summary>
    public QueueItem? Take()
    {
        var waiting = new DirectoryInfo(Incoming).EnumerateFiles("*.json")
            .OrderBy(f => f.LastWriteTimeUtc).ThenBy(f => f.Name, StringComparer.Ordinal);
        foreach (var file in waiting)
        {
            var runId = ExperimentStore.NewRunId(Path.GetFileNameWithoutExtension(file.Name));
            var target = Path.Combine(Running, runId + ".json");
            try
            {
                File.Move(file.FullName, target);
                return new QueueItem(runId, target);
            }
            catch (FileNotFoundException)
            {
                // Taken away meanwhile (another server, or its owner): try the next one.
            }
        }
        return null;
    }

    public void Complete(QueueItem item) => File.Move(item.Path, Path.Combine(Done, item.RunId + ".json"), overwrite: true);

    public void Fail(QueueItem item, string error)
    {
        File.WriteAllText(Path.Combine(Failed, item.RunId + ".error.txt"), error + "\n");
        File.Move(item.Path, Path.Combine(Failed, item.RunId + ".json"), overwrite: true);
    }

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
