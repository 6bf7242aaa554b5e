using System.Diagnostics;

namespace Untangle.Testing;

/// <summary>
/// Temporary folders for tests. Every folder lives under one root per test process
/// (untangle-tests-&lt;pid&gt;-…), deleted when the process exits; a root whose process is gone (a test
/// host killed before its exit handlers ran) is swept by the next test process. Before this, each
/// `dotnet test` left about a hundred untangle-* folders in the system's temp folder.
/// </summary>
/// <remarks>Compiled into every test project by tests/Directory.Build.props.</remarks>
internal static class Scratch
{
    private const string RootPrefix = "untangle-tests-";

    private static readonly Lazy<string> Root = new(() =>
    {
        SweepOrphans();
        var root = Directory.CreateTempSubdirectory($"{RootPrefix}{Environment.ProcessId}-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => TryDelete(root);
        return root;
    });

    /// <summary>A new, empty folder whose name starts with <paramref name="prefix"/>.</summary>
    public static DirectoryInfo Folder(string prefix) =>
        Directory.CreateDirectory(Path.Combine(Root.Value, prefix + Guid.NewGuid().ToString("N")[..12]));

    /// <summary>A path for a file that does not exist yet, in the scratch root.</summary>
    public static string File(string name) => Path.Combine(Root.Value, $"{Guid.NewGuid():N}-{name}");

    private static void SweepOrphans()
    {
        foreach (var folder in Directory.EnumerateDirectories(Path.GetTempPath(), RootPrefix + "*"))
        {
            var pid = Path.GetFileName(folder)[RootPrefix.Length..].Split('-')[0];
            if (int.TryParse(pid, out var id) && !Alive(id)) TryDelete(folder);
        }
    }

    private static bool Alive(int pid)
    {
        try { using var process = Process.GetProcessById(pid); return !process.HasExited; }
        catch (ArgumentException) { return false; }
        catch (InvalidOperationException) { return false; }
    }

    // Best effort: a host process a test started may still hold a file for a moment.
    private static void TryDelete(string folder)
    {
        try { Directory.Delete(folder, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
