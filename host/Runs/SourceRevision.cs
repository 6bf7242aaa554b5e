using System.Diagnostics;
using System.Reflection;

namespace Untangle.Host.Runs;

/// <summary>
/// The source revision a run was made with, for the store: <c>git rev-parse HEAD</c> of the checkout
/// the host runs from when git and a checkout are there, else the commit the SDK stamped into the
/// host's informational version at build time, else unknown (null).
/// </summary>
public static class SourceRevision
{
    private static readonly Lazy<string?> Value = new(Find);

    public static string? Current => Value.Value;

    private static string? Find() => FromGit(AppContext.BaseDirectory) ?? FromBuild();

    private static string? FromGit(string directory)
    {
        try
        {
            var info = new ProcessStartInfo("git") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in new[] { "-C", directory, "rev-parse", "HEAD" }) info.ArgumentList.Add(a);
            using var git = Process.Start(info);
            if (git is null) return null;
            var output = git.StandardOutput.ReadToEndAsync();
            _ = git.StandardError.ReadToEndAsync();
            if (!git.WaitForExit(TimeSpan.FromSeconds(5)))
            {
                git.Kill();
                return null;
            }
            var revision = output.Result.Trim();
            return git.ExitCode == 0 && IsCommit(revision) ? revision : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // no git on this machine
        }
    }

    private static string? FromBuild()
    {
        var version = typeof(SourceRevision).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        var plus = version?.IndexOf('+') ?? -1;
        return plus >= 0 && IsCommit(version![(plus + 1)..]) ? version[(plus + 1)..] : null;
    }

    private static bool IsCommit(string text) => text.Length is >= 7 and <= 64 && text.All(Uri.IsHexDigit);
}
