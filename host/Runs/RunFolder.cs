using System.Text.Json;
using Untangle.Host.Composition;

namespace Untangle.Host.Runs;

/// <summary>Who owns (or last owned) a run folder: the run, the process and its host, since when, and its command line.</summary>
public sealed record RunOwner(string Run, int Pid, string Host, DateTimeOffset Since, string Command)
{
    public override string ToString() => $"pid {Pid} on {Host} (since {Since:yyyy-MM-dd HH:mm:ss} UTC)";
}

/// <summary>
/// A run's folder, owned by exactly one live process for the run's whole life: <c>owner.lock</c> holds
/// an OS lock (<see cref="OwnerLock"/>) while the run trains and <c>owner.json</c> names the owner (run,
/// pid, host, since, command). A new run refuses a folder that holds another run's files, before it
/// writes anything; a resume refuses a folder whose owner is alive, naming it; the folder of a dead
/// owner is taken over, by exactly one of the processes that try.
/// </summary>
public sealed class RunFolder : IDisposable
{
    public const string LockFile = "owner.lock", OwnerFile = "owner.json";

    /// <summary>
    /// The files and folders that make a folder a run's folder. Not the owner files alone: a process
    /// killed between its claim and its config.json leaves nothing to resume, and the folder is free again.
    /// </summary>
    private static readonly string[] RunFiles = ["config.json", "metrics.json", "epochs.jsonl", "per_user_test.csv", "run.log", "checkpoint"];

    private readonly OwnerLock _lock;

    private RunFolder(string path, OwnerLock ownerLock, RunOwner owner, RunOwner? previous)
    {
        Path = path;
        _lock = ownerLock;
        Owner = owner;
        Previous = previous;
    }

    public string Path { get; }
    public RunOwner Owner { get; }
    /// <summary>On a resume: the owner before this process, now gone (null when none was recorded).</summary>
    public RunOwner? Previous { get; }

    /// <summary>The gone owner this claim took the folder over from: <see cref="Previous"/> unless that was this process.</summary>
    public RunOwner? TakenOverFrom => Previous is { } p && (p.Pid != Owner.Pid || p.Host != Owner.Host) ? p : null;

    /// <summary>
    /// Claims <paramref name="folder"/> for the new run <paramref name="runId"/>. Fails, without writing
    /// into it, when it holds another run's files or another process owns it; <paramref name="option"/>
    /// ("--out") names where the folder came from in the message.
    /// </summary>
    public static RunFolder ClaimNew(string folder, string runId, string option)
    {
        folder = System.IO.Path.GetFullPath(folder);
        var created = OutputFolder.Ensure(folder, option, "the run's results");
        var lockPath = System.IO.Path.Combine(folder, LockFile);
        var lockExisted = File.Exists(lockPath);
        var taken = OwnerLock.TryTake(lockPath)
            ?? throw new ConfigurationException($"{option} {folder}: {Busy(folder)}; choose another folder for a new run");
        try
        {
            if (Existing(folder) is { } files)
                throw new ConfigurationException(
                    $"{option} {folder}: holds {(ReadOwner(folder)?.Run is { } run ? $"run {run}" : "a run")}'s files ({files}); choose a new folder, or continue that run with: untangle run --resume {folder}");
            return new RunFolder(folder, taken, WriteOwner(folder, runId), null);
        }
        catch
        {
            taken.Dispose();
            if (!lockExisted) FileWrite.TryDelete(lockPath);
            if (created) FileWrite.TryDelete(folder);
            throw;
        }
    }

    /// <summary>Claims the folder of run <paramref name="runId"/> to continue it; fails while its owner is alive.</summary>
    public static RunFolder ClaimExisting(string folder, string runId)
    {
        folder = System.IO.Path.GetFullPath(folder);
        Directory.CreateDirectory(folder); // a queued run killed before it wrote anything has no folder yet
        var taken = OwnerLock.TryTake(System.IO.Path.Combine(folder, LockFile))
            ?? throw new ConfigurationException($"{folder}: {Busy(folder)}; a run is trained by one process at a time: wait for it to end or stop that process");
        try
        {
            var previous = ReadOwner(folder);
            return new RunFolder(folder, taken, WriteOwner(folder, runId), previous);
        }
        catch
        {
            taken.Dispose();
            throw;
        }
    }

    /// <summary>The run files in <paramref name="folder"/> ("config.json, run.log"), or null when it holds none.</summary>
    public static string? Existing(string folder)
    {
        if (!Directory.Exists(folder)) return null;
        var found = RunFiles.Where(f => File.Exists(System.IO.Path.Combine(folder, f)) || Directory.Exists(System.IO.Path.Combine(folder, f))).ToList();
        return found.Count == 0 ? null : string.Join(", ", found);
    }

    /// <summary>The live owner's description, or null when no process holds the folder now (when that cannot be told, the last owner recorded).</summary>
    public static RunOwner? LiveOwner(string folder)
    {
        var lockPath = System.IO.Path.Combine(folder, LockFile);
        if (!File.Exists(lockPath)) return null;
        var unknown = new RunOwner("?", 0, "?", DateTimeOffset.MinValue, "?");
        try
        {
            using var probe = OwnerLock.TryTake(lockPath);
            return probe is null ? ReadOwner(folder) ?? unknown : null;
        }
        catch (UnauthorizedAccessException)
        {
            return ReadOwner(folder) ?? unknown; // cannot tell (a read-only folder): say who owned it, never "gone"
        }
    }

    public void Dispose() => _lock.Dispose(); // owner.json stays: it records who ran the folder last

    private static string Busy(string folder) =>
        ReadOwner(folder) is { } owner
            ? $"run {owner.Run} is being trained there by {owner}, command: {owner.Command}"
            : "another process holds its owner.lock (it has not written owner.json yet)";

    private static RunOwner? ReadOwner(string folder)
    {
        var path = System.IO.Path.Combine(folder, OwnerFile);
        try
        {
            return File.Exists(path) ? JsonSerializer.Deserialize<RunOwner>(File.ReadAllText(path)) : null;
        }
        catch (Exception e) when (e is JsonException or IOException)
        {
            return null; // a torn owner.json only loses the description; the lock is what decides
        }
    }

    private static RunOwner WriteOwner(string folder, string runId)
    {
        var owner = new RunOwner(runId, Environment.ProcessId, Environment.MachineName, DateTimeOffset.UtcNow,
            string.Join(' ', Environment.GetCommandLineArgs()));
        FileWrite.Atomically(System.IO.Path.Combine(folder, OwnerFile), "writing the owner file", JsonSerializer.Serialize(owner));
        return owner;
    }
}
