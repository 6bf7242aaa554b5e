namespace Untangle.Host.Serve;

/// <summary>What the command line needs from the queue service after the host stops: a failure of the server itself (not of a run).</summary>
public sealed class ServeState
{
    public Exception? Fatal { get; set; }
    public int Finished { get; set; }
    public int Failed { get; set; }
    public int Interrupted { get; set; }
}
