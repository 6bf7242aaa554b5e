using Untangle.Host.Runs;

namespace Untangle.Host.Serve;

/// <summary>
/// An experiment file the server has taken from incoming/: renamed to running/RUN-ID.json, where RUN-ID
/// (time, experiment name, 4 hex digits) is its run's id in the store and its results folder's name.
/// </summary>
public sealed record QueueItem(string RunId, string Path)
{
    /// <summary>This server's lock on the item (running/RUN-ID.lock); null for an item only listed.</summary>
    public OwnerLock? Claim { get; init; }

    /// <summary>Why the file is refused without being read (not a regular file, too large); null when it is taken.</summary>
    public string? Refusal { get; init; }

    /// <summary>The experiment's name: the dropped file's name, kept inside the run id.</summary>
    public string Experiment
    {
        get
        {
            // yyyyMMdd-HHmmss-NAME-xxxx
            const int stamp = 16, suffix = 5;
            return RunId.Length > stamp + suffix ? RunId[stamp..^suffix] : RunId;
        }
    }
}
