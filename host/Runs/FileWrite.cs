namespace Untangle.Host.Runs;

/// <summary>
/// The writes of a run's files, so that a full disk or another I/O failure (1) leaves no half-written
/// file under a final name and (2) is reported in one line naming the operation, the path and the
/// free space left there, instead of .NET's bare "No space left on device".
/// </summary>
public static class FileWrite
{
    private const int NoSpace = 28, QuotaExceeded = 122; // ENOSPC, EDQUOT: .NET's IOException.HResult on Linux

    /// <summary>Whether <paramref name="e"/> (or an exception inside it) is a full disk or an exhausted quota.</summary>
    private static bool IsDiskFull(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
            if (e is IOException { HResult: NoSpace or QuotaExceeded }) return true;
        return false;
    }

    /// <summary>The one-line error for a failed <paramref name="operation"/> ("writing the checkpoint") of <paramref name="path"/>.</summary>
    public static IOException Failed(string operation, string path, Exception e)
    {
        if (e is WriteFailedException) return (IOException)e; // named already, by a write further in
        var what = IsDiskFull(e) ? "no space left on the device" : Plain(e);
        return new WriteFailedException($"{operation} {path} failed: {what} ({UnixFiles.FreeSpace(path)})", e);
    }

    /// <summary>
    /// Writes a file whole or not at all: into PATH.tmp, flushed, then renamed over PATH (atomic within
    /// one file system). On failure the temporary file is deleted and the error names the path.
    /// </summary>
    public static void Atomically(string path, string operation, Action<Stream> write)
    {
        var temp = path + ".tmp";
        try
        {
            using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                write(stream);
                stream.Flush();
            }
            FaultPoint.Reach("file.rename", path);
            File.Move(temp, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(temp);
            throw Failed(operation, path, e);
        }
    }

    public static void Atomically(string path, string operation, string text) =>
        Atomically(path, operation, stream =>
        {
            using var writer = new StreamWriter(stream, leaveOpen: true);
            writer.Write(text);
        });

    /// <summary>
    /// Appends <paramref name="text"/> (whole lines) to PATH; on failure the file is cut back to its
    /// length before, so it never ends in half a line.
    /// </summary>
    public static void Append(string path, string operation, string text)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read);
            var before = stream.Length;
            try
            {
                FaultPoint.Reach("file.append", path);
                using (var writer = new StreamWriter(stream, leaveOpen: true)) writer.Write(text);
                stream.Flush();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                try { stream.SetLength(before); } catch (IOException) { /* the line below still names the file that failed */ }
                throw;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Failed(operation, path, e);
        }
    }

    /// <summary>Deletes a file or folder left by a failed write; a failure to delete is not the error the user needs to read.</summary>
    public static void TryDelete(string path)
    {
        try
        {
            if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
            else File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }

    private static string Plain(Exception e)
    {
        // .NET's Unix messages end in " : 'PATH'", which the line names already.
        var text = e.Message;
        var cut = text.LastIndexOf(" : '", StringComparison.Ordinal);
        return (cut > 0 ? text[..cut] : text).TrimEnd('.');
    }
}

/// <summary>A write of a run's file failed; the message names the operation, the path and the free space.</summary>
public sealed class WriteFailedException(string message, Exception inner) : IOException(message, inner);
