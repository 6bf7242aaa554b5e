using System.Diagnostics;

namespace Untangle.Host.Cli;

/// <summary>
/// The process's peak resident memory while one benchmark run executes, sampled every 50 ms (and once at
/// the end). Resident memory includes libtorch's CPU allocations, which managed counters do not see; it
/// also includes what earlier runs in the same process still hold, so it is an upper bound for the run.
/// </summary>
public sealed class PeakMemory : IDisposable
{
    private readonly Timer _timer;
    private readonly Lock _gate = new();
    private long _peakBytes;

    public PeakMemory()
    {
        Sample();
        _timer = new Timer(_ => Sample(), null, TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(50));
    }

    public double PeakMegabytes
    {
        get
        {
            Sample();
            lock (_gate) return _peakBytes / (1024.0 * 1024.0);
        }
    }

    private void Sample()
    {
        using var process = Process.GetCurrentProcess();
        long bytes = process.WorkingSet64;
        lock (_gate) _peakBytes = Math.Max(_peakBytes, bytes);
    }

    public void Dispose() => _timer.Dispose();
}
