using System.Runtime.InteropServices;

namespace Untangle.Host.Runs;

/// <summary>
/// An exclusive advisory lock on a file (flock(2) LOCK_EX | LOCK_NB), held while this object lives.
/// The kernel drops it when the holding process dies, however it dies (SIGKILL included), so a lock
/// that can be taken is one whose last owner is gone: that is how a stale owner is told from a live
/// one, and why exactly one of several processes racing for a stale claim wins it.
/// </summary>
/// <remarks>
/// .NET takes the same flock when it opens a file with FileShare.None; the explicit call keeps the lock
/// when DOTNET_SYSTEM_IO_DISABLEFILELOCKING turns .NET's off. On a network file system the lock is as
/// good as its lock service (NFSv4's is).
/// </remarks>
public sealed class OwnerLock : IDisposable
{
    private const int LockExclusive = 2, LockNonBlocking = 4, WouldBlock = 11; // EWOULDBLOCK on Linux
    private readonly FileStream _file;

    private OwnerLock(string path, FileStream file)
    {
        Path = path;
        _file = file;
    }

    public string Path { get; }

    /// <summary>Takes the lock on <paramref name="path"/> (creating the file); null when another process holds it.</summary>
    public static OwnerLock? TryTake(string path)
    {
        FileStream file;
        try
        {
            file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException) when (File.Exists(path))
        {
            return null; // .NET's own flock at open found it held
        }
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())
        {
            if (Flock(file.SafeFileHandle.DangerousGetHandle().ToInt32(), LockExclusive | LockNonBlocking) != 0)
            {
                var error = Marshal.GetLastPInvokeError();
                file.Dispose();
                // Held by another process; anything else (no lock service on a network file system) is not "busy".
                if (OperatingSystem.IsMacOS() || error == WouldBlock) return null;
                throw new IOException($"{path}: cannot lock it (flock errno {error}); the run folder's owner cannot be told on this file system");
            }
        }
        return new OwnerLock(path, file);
    }

    public void Dispose() => _file.Dispose(); // closing the descriptor releases the flock

    [DllImport("libc", EntryPoint = "flock", SetLastError = true)]
    private static extern int Flock(int descriptor, int operation);
}
