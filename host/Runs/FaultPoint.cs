namespace Untangle.Host.Runs;

/// <summary>
/// Named places where the fault tests (tests/faults.sh, the end-to-end fault tests) make the host fail
/// on purpose, deterministically: <c>UNTANGLE_FAULT=POINT[@N][=ACTION]</c> acts the N-th time (default
/// the first) POINT is reached, with ACTION <c>kill</c> (SIGKILL to itself: nothing is flushed, no
/// handler runs; the default) or <c>enospc</c> (the write fails as on a full disk). POINT may name one
/// file, as in <c>file.rename:metrics.json</c>. Unset, a point costs one comparison. Points: snapshot.fill (a snapshot's files written, manifest not yet),
/// snapshot.rename (the snapshot complete under its .partial name), snapshot.renamed (renamed, the
/// oldest not yet pruned), file.rename (a result file
/// written under .tmp), file.append (an epoch line about to be appended), store.write (a store write
/// about to run), training.start (built, before the first epoch and its snapshot).
/// </summary>
public static class FaultPoint
{
    private static readonly (string Point, int Hit, string Action)? Armed = Parse(Environment.GetEnvironmentVariable("UNTANGLE_FAULT"));
    private static int _reached;

    public static void Reach(string point, string path = "")
    {
        if (Armed is not { } armed) return;
        // "file.rename:metrics.json" names one file's write; "file.rename" any.
        if (armed.Point != point && armed.Point != $"{point}:{Path.GetFileName(path)}") return;
        if (Interlocked.Increment(ref _reached) != armed.Hit) return;
        switch (armed.Action)
        {
            case "kill":
                Console.Error.Flush();
                System.Diagnostics.Process.GetCurrentProcess().Kill();
                Thread.Sleep(Timeout.Infinite);
                break;
            case "enospc":
                throw new IOException($"No space left on device : '{path}'", 28);
        }
    }

    private static (string, int, string)? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var (target, action) = text.Split('=', 2) is [var t, var a] ? (t, a) : (text, "kill");
        var (point, hit) = target.Split('@', 2) is [var p, var n] && int.TryParse(n, out var h) && h > 0 ? (p, h) : (target, 1);
        if (action is not ("kill" or "enospc"))
            throw new ArgumentException($"UNTANGLE_FAULT={text}: action '{action}' is not kill or enospc");
        return (point, hit, action);
    }
}
