using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace Untangle.Tests.EndToEnd;

/// <summary>
/// The host as a user runs it: a separate process on the built Untangle.Host.dll beside the tests,
/// with the plugins the build copied there, that a test can wait on, stop with SIGTERM, or kill -9.
/// </summary>
internal sealed class HostProcess : IDisposable
{
    public static readonly string Repo = FindRepo();
    private readonly Process _process;
    private readonly StringBuilder _out = new(), _err = new();

    private HostProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => { lock (_out) if (e.Data is not null) _out.AppendLine(e.Data); };
        _process.ErrorDataReceived += (_, e) => { lock (_err) if (e.Data is not null) _err.AppendLine(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Out { get { lock (_out) return _out.ToString(); } }
    public string Err { get { lock (_err) return _err.ToString(); } }
    public bool HasExited => _process.HasExited;

    public static HostProcess Start(string workingDirectory, params string[] args) => Start(new Dictionary<string, string>(), workingDirectory, args);

    /// <summary>Starts the host with extra environment variables (UNTANGLE_FAULT, Untangle__Serve__* settings).</summary>
    public static HostProcess Start(IReadOnlyDictionary<string, string> environment, string workingDirectory, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, WorkingDirectory = workingDirectory };
        foreach (var (key, value) in environment) info.Environment[key] = value;
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Untangle.Host.dll"));
        foreach (var a in args) info.ArgumentList.Add(a);
        return new HostProcess(Process.Start(info)!);
    }

    /// <summary>Starts the host and waits for it to finish (3 minutes at most).</summary>
    public static (int Code, string Out, string Err) Run(string workingDirectory, params string[] args)
    {
        using var host = Start(workingDirectory, args);
        return host.WaitForExit();
    }

    public static (int Code, string Out, string Err) Run(IReadOnlyDictionary<string, string> environment, string workingDirectory, params string[] args)
    {
        using var host = Start(environment, workingDirectory, args);
        return host.WaitForExit();
    }

    public int Id => _process.Id;

    public (int Code, string Out, string Err) WaitForExit(int seconds = 180)
    {
        _process.WaitForExit(TimeSpan.FromSeconds(seconds)).Should().BeTrue($"the host finishes within {seconds} s; output so far:\n{Out}\n{Err}");
        _process.WaitForExit(); // drains the output readers
        return (_process.ExitCode, Out, Err);
    }

    /// <summary>SIGTERM, as systemd or `kill` sends it.</summary>
    public void Terminate()
    {
        if (Kill(_process.Id, 15) != 0) throw new InvalidOperationException($"kill -TERM {_process.Id} failed: errno {Marshal.GetLastPInvokeError()}");
    }

    /// <summary>SIGKILL: no handler runs, nothing is flushed; the crash a checkpoint must survive.</summary>
    public void KillHard()
    {
        _process.Kill(); // SIGKILL on Unix
        _process.WaitForExit();
    }

    /// <summary>Polls <paramref name="condition"/> every few milliseconds; false if the host exits or time runs out first.</summary>
    public bool WaitUntil(Func<bool> condition, int seconds = 120)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(seconds))
        {
            if (condition()) return true;
            if (_process.HasExited) return condition();
            Thread.Sleep(5);
        }
        return false;
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    private static string FindRepo()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "plugins.json")) && Directory.Exists(Path.Combine(d.FullName, "host")))
                return d.FullName;
        throw new InvalidOperationException("repository root (with plugins.json) not found above the test binaries");
    }
}
