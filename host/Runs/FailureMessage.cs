using Untangle.Host.Store;
using Untangle.Host.Training;
using Untangle.Host.Training.Checkpoints;

namespace Untangle.Host.Runs;

/// <summary>The one line a user reads about a failure (the command line's stderr, a failed run's error in the store and the queue).</summary>
public static class FailureMessage
{
    /// <summary>
    /// The message of what went wrong, without stack or wrapper noise. Without <paramref name="quoteData"/>
    /// (serve, whose experiment files come from anyone who can write to its queue) a data file's error
    /// names the file, line and problem but quotes none of the file's text, not even the field's value.
    /// </summary>
    public static string Describe(Exception e, bool quoteData = true)
    {
        while (e is AggregateException { InnerException: { } inner }) e = inner;
        return e switch
        {
            Data.Parsing.DataFormatException data when !quoteData =>
                $"{data.File}:{data.Line}: {System.Text.RegularExpressions.Regex.Replace(data.Problem, "'[^']*'", "'…'")}; expected {data.Expected}",
            RunFailedException => e.Message,
            // Errors the host, readers, protocols and methods raise on purpose carry a complete message.
            ConfigurationException or NonFiniteLossException or Data.Parsing.DataFormatException or IOException
                or CorruptCheckpointException or CorruptStoreException or TrainingInterrupted
                or ArgumentException or InvalidOperationException or FormatException or KeyNotFoundException or InvalidDataException => e.Message,
            // Anything else is a bug somewhere: say what kind, the log has the stack.
            _ => $"{e.GetType().Name}: {e.Message}",
        };
    }
}

/// <summary>A recorded run failed; the message is the one line recorded in the store.</summary>
public sealed class RunFailedException(string message, Exception inner) : Exception(message, inner);
