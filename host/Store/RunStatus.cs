namespace Untangle.Host.Store;

/// <summary>
/// A run's status in the store: running (a process is training it, or died while it was: resume it),
/// interrupted (stopped on request with a checkpoint: resume it), finished, or failed (with its error).
/// </summary>
public static class RunStatus
{
    public const string Running = "running";
    public const string Interrupted = "interrupted";
    public const string Finished = "finished";
    public const string Failed = "failed";
}
