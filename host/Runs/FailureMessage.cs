using Untangle.Host.Store;
using Untangle.Host.Training;
using Untangle.Host.Training.Checkpoints;

namespace Untangle.Host.Runs;

/// <summary>The one line a user reads about a failure (the command line's stderr, a failed run's error in the store and the queue).</summary>
public static class FailureMessage
{
    /// <summary>The message of what went wrong, without stack or wrapper noise.</summary>
    public static string Describe(Exception e)
    {
        while (e is AggregateException { InnerException: { } inner }) e = inner;
        return e switch
        {
            // Errors the host, readers, protocols and methods raise on purpose carry a complete message.
            ConfigurationException or NonFiniteLossException or Data.Parsing.DataFormatException or IOException
                or CorruptCheckpointException or CorruptStoreException or TrainingInterrupted
                or ArgumentException or InvalidOperationException or FormatException or KeyNotFoundException => e.Message,
            // Anything else is a bug somewhere: say what kind, the log has the stack.
            _ => $"{e.GetType().Name}: {e.Message}",
        };
    }
}
