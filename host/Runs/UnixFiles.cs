using System.Runtime.InteropServices;

namespace Untangle.Host.Runs;

/// <summary>
/// What .NET does not say about a path on Linux: its file type (a FIFO, a device and a socket all look
/// like a "Normal" file to <see cref="FileInfo"/>, and opening a FIFO for reading blocks until a writer
/// comes), its real path with every link resolved, the free space of the file system holding it, and a
/// move that never replaces a file that appeared meanwhile.
/// </summary>
/// <remarks>
/// The type comes from glibc's statx(2) (glibc 2.28+), whose struct layout is the same on every
/// architecture (stx_mode is the 16 bits at offset 28), unlike stat(2)'s. Elsewhere (no statx) a path
/// counts as a regular file unless .NET reports it a directory or a link.
/// </remarks>
public static class UnixFiles
{
    public enum Kind { Missing, Regular, Directory, SymbolicLink, Fifo, CharacterDevice, BlockDevice, Socket }

    private const int AtFdCwd = -100, AtSymlinkNoFollow = 0x100;
    private const uint StatxType = 0x1;
    private const int StatxSize = 256, ModeOffset = 28;

    /// <summary>The type of <paramref name="path"/> itself (a link is not followed).</summary>
    public static Kind Of(string path)
    {
        if (OperatingSystem.IsLinux())
        {
            var buffer = new byte[StatxSize];
            try
            {
                if (Statx(AtFdCwd, path, AtSymlinkNoFollow, StatxType, buffer) != 0)
                    return Marshal.GetLastPInvokeError() == 2 ? Kind.Missing : Fallback(path); // ENOENT
            }
            catch (EntryPointNotFoundException)
            {
                return Fallback(path);
            }
            return (BitConverter.ToUInt16(buffer, ModeOffset) & 0xF000) switch
            {
                0x8000 => Kind.Regular,
                0x4000 => Kind.Directory,
                0xA000 => Kind.SymbolicLink,
                0x1000 => Kind.Fifo,
                0x2000 => Kind.CharacterDevice,
                0x6000 => Kind.BlockDevice,
                0xC000 => Kind.Socket,
                var other => throw new IOException($"{path}: unknown file type 0x{other:X}"),
            };
        }
        return Fallback(path);
    }

    private static Kind Fallback(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists && !Directory.Exists(path)) return info.LinkTarget is null ? Kind.Missing : Kind.SymbolicLink;
        if (info.LinkTarget is not null) return Kind.SymbolicLink;
        return Directory.Exists(path) ? Kind.Directory : Kind.Regular;
    }

    /// <summary>The absolute path with every symbolic link, "." and ".." resolved; null when it does not exist.</summary>
    public static string? RealPath(string path)
    {
        path = Path.GetFullPath(path);
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
            return File.Exists(path) || Directory.Exists(path) ? path : null;
        var resolved = Realpath(path, IntPtr.Zero);
        if (resolved == IntPtr.Zero) return null;
        try
        {
            return Marshal.PtrToStringUTF8(resolved);
        }
        finally
        {
            Free(resolved);
        }
    }

    /// <summary>Whether <paramref name="path"/> is <paramref name="folder"/> or lies inside it (both already absolute and resolved).</summary>
    public static bool IsInside(string path, string folder)
    {
        folder = Path.TrimEndingDirectorySeparator(folder);
        return path == folder || path.StartsWith(folder + Path.DirectorySeparatorChar, StringComparison.Ordinal);
    }

    /// <summary>Bytes free to this user on the file system holding <paramref name="path"/> (or its nearest existing parent); null if unknown.</summary>
    public static long? FreeBytes(string path)
    {
        for (var dir = Path.GetFullPath(path); dir is not null; dir = Path.GetDirectoryName(dir))
        {
            if (!Directory.Exists(dir)) continue;
            try
            {
                return new DriveInfo(dir).AvailableFreeSpace;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
            {
                return null;
            }
        }
        return null;
    }

    /// <summary>
    /// Moves <paramref name="source"/> to <paramref name="destination"/> in one atomic step unless a file is
    /// already there; false (and <paramref name="source"/> left as it was) when one is.
    /// </summary>
    /// <remarks>
    /// .NET's <c>File.Move(overwrite: false)</c> on Unix checks that the destination is missing and then
    /// calls rename(2), which replaces: two processes that check at once both "win", and the later one
    /// replaces the file the earlier one already uses. Linux's renameat2(RENAME_NOREPLACE) makes the
    /// check and the move one step; file systems that lack the flag get link(2), which also fails on an
    /// existing name, then unlink(2) of the source. Elsewhere (Windows, where MoveFileEx without
    /// REPLACE_EXISTING is atomic) it is File.Move.
    /// </remarks>
    public static bool MoveWithoutReplacing(string source, string destination)
    {
        const int EPerm = 1, EExist = 17, EInval = 22, ENoSys = 38, ENotSup = 95;
        const uint RenameNoReplace = 1;
        if (OperatingSystem.IsLinux())
        {
            int errno;
            try
            {
                if (Renameat2(AtFdCwd, source, AtFdCwd, destination, RenameNoReplace) == 0) return true;
                errno = Marshal.GetLastPInvokeError();
            }
            catch (EntryPointNotFoundException)
            {
                errno = ENoSys; // a C library older than glibc 2.28
            }
            if (errno == EExist) return false;
            if (errno is not (EInval or ENoSys)) throw MoveFailed(source, destination, errno);
            if (Link(source, destination) == 0)
            {
                File.Delete(source);
                return true;
            }
            errno = Marshal.GetLastPInvokeError();
            if (errno == EExist) return false;
            if (errno is not (EPerm or ENotSup)) throw MoveFailed(source, destination, errno);
            // Neither atomic way exists on this file system (FAT-like: no hard links): File.Move's check-then-rename.
        }
        try
        {
            File.Move(source, destination, overwrite: false);
            return true;
        }
        catch (IOException) when (File.Exists(destination))
        {
            return false;
        }
    }

    private static IOException MoveFailed(string source, string destination, int errno) =>
        new($"could not move {source} to {destination}: {Marshal.GetPInvokeErrorMessage(errno)}");

    /// <summary>"164 KiB free there now" for an error line about <paramref name="path"/>.</summary>
    public static string FreeSpace(string path) => FreeBytes(path) is { } bytes ? $"{Size(bytes)} free there now" : "free space unknown";

    /// <summary>"12.3 MiB"-style size for messages.</summary>
    public static string Size(long bytes) => bytes switch
    {
        < 1024 => FormattableString.Invariant($"{bytes} B"),
        < 1024 * 1024 => FormattableString.Invariant($"{bytes / 1024.0:0.#} KiB"),
        < 1024L * 1024 * 1024 => FormattableString.Invariant($"{bytes / (1024.0 * 1024):0.#} MiB"),
        _ => FormattableString.Invariant($"{bytes / (1024.0 * 1024 * 1024):0.##} GiB"),
    };

    [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
    private static extern int Statx(int dirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, byte[] buffer);

    [DllImport("libc", EntryPoint = "realpath", SetLastError = true)]
    private static extern IntPtr Realpath([MarshalAs(UnmanagedType.LPUTF8Str)] string path, IntPtr resolved);

    [DllImport("libc", EntryPoint = "renameat2", SetLastError = true)]
    private static extern int Renameat2(int olddirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string oldpath, int newdirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string newpath, uint flags);

    [DllImport("libc", EntryPoint = "link", SetLastError = true)]
    private static extern int Link([MarshalAs(UnmanagedType.LPUTF8Str)] string oldpath, [MarshalAs(UnmanagedType.LPUTF8Str)] string newpath);

    [DllImport("libc", EntryPoint = "free")]
    private static extern void Free(IntPtr pointer);
}
