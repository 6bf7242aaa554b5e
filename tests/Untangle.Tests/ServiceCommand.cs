using System.Diagnostics;

namespace Untangle.Tests;

/// <summary>
/// Runs a command of a service the tests start themselves (initdb and pg_ctl, munged and slurmctld):
/// to its end, returning its output; a non-zero exit throws with both streams, so a fixture that
/// cannot start its service says why.
/// </summary>
internal static class ServiceCommand
{
    public static string Run(string file, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = "/" };
        foreach (var a in args) start.ArgumentList.Add(a);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) start.Environment[key] = value;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited with {process.ExitCode}: {error}{output.Result}");
        return output.Result;
    }
}
