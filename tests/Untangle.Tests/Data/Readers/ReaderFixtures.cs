using Microsoft.Extensions.Logging;
using Untangle.Contracts.Components;
using Untangle.Contracts.Data;
using Untangle.Contracts.Settings;

namespace Untangle.Tests.Data.Readers;

/// <summary>Where the hand-written reader fixtures are, and how a test reads one.</summary>
internal static class ReaderFixtures
{
    public static string Folder(string relative) => Path.Combine(AppContext.BaseDirectory, "Fixtures", relative);

    public static Dataset Read(IDatasetReader reader, string relative, RecordingLogger? logger = null,
        IReadOnlyDictionary<string, string>? options = null) =>
        reader.Read(Folder(relative), SettingValues.Resolve("dataset", reader.Options, options), logger ?? new RecordingLogger());

    /// <summary>
    /// The real MovieLens 100K folder (../shared/data/ml-100k next to the repository), found by walking
    /// up from the test's output folder; null when this machine does not have it.
    /// </summary>
    public static string? SharedMl100k()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "data", "ml-100k");
            if (File.Exists(Path.Combine(candidate, "u.data"))) return candidate;
        }
        return null;
    }
}

/// <summary>Keeps what a reader logged, so tests can check the summary lines.</summary>
internal sealed class RecordingLogger : ILogger
{
    public List<(LogLevel Level, string Message)> Entries { get; } = new();

    public IEnumerable<string> Messages => Entries.Select(e => e.Message);

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Entries.Add((logLevel, formatter(state, exception)));
}
