using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;

namespace Untangle.Host.Data.Parsing;

/// <summary>
/// The rest of an interaction file (what follows its header) read in two parts at once, one per core,
/// so that loading runs at about twice one core's speed. Each part has its own reader over its byte
/// range (lines numbered as in the whole file), its own user and item indices, and its own rows,
/// written into the first part's arrays (<see cref="InteractionRows.Part"/>); the second part's ids
/// then join the first's in their order of first appearance and its rows follow the first's
/// (<see cref="IdIndex.Absorb"/>, <see cref="InteractionRows.Join"/>), which is exactly what one
/// reader going through the file would have built. A rest under <see cref="MinimumBytes"/>, or a
/// machine with one core, is read in one part. A bad line is reported as one reader would report it:
/// the first part's error if it has one (the second part then stops), else the second's.
/// </summary>
public static class FileParts
{
    /// <summary>Rests smaller than this are read in one part.</summary>
    public const long MinimumBytes = 8L << 20;

    /// <summary>For tests: another <see cref="MinimumBytes"/> for reads started on the calling thread (0 splits every file of two or more lines).</summary>
    internal static long? MinimumBytesOnThisThread
    {
        get => _minimumBytesOnThisThread;
        set => _minimumBytesOnThisThread = value;
    }

    [ThreadStatic] private static long? _minimumBytesOnThisThread;

    /// <summary>One part's user and item indices.</summary>
    public sealed record Ids(IdIndex Users, IdIndex Items);

    /// <summary>
    /// Reads every line after <paramref name="lines"/>' current one with <paramref name="readLine"/>, into
    /// <paramref name="ids"/> and rows made here; <paramref name="values"/> and <paramref name="times"/>: whether
    /// lines carry values and timestamps (the parts share those columns).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static InteractionRows ReadRest(LineReader lines, Ids ids, bool values, bool times, Action<LineReader, Ids, InteractionRows> readLine)
    {
        string path = lines.Path;
        long from = lines.NextLineOffset, length = new FileInfo(path).Length;
        long split = length - from < (MinimumBytesOnThisThread ?? MinimumBytes) || Environment.ProcessorCount < 2 ? length : LineStartAfter(path, from + (length - from) / 2, length);
        long firstLines = LineReader.CountLines(path, from, split);
        if (split >= length)
        {
            var rows = new InteractionRows(firstLines);
            while (lines.Next()) readLine(lines, ids, rows);
            return rows;
        }
        long secondLines = LineReader.CountLines(path, split, length);
        var firstRows = new InteractionRows(firstLines + secondLines);
        var secondRows = firstRows.Part(secondLines, values, times);
        var secondIds = new Ids(new IdIndex(), new IdIndex());
        int firstNumber = lines.Number;
        bool stop = false;
        Exception? secondError = null;
        var second = Task.Factory.StartNew(() =>
        {
            try
            {
                using var part = LineReader.OpenRange(lines, split, length, checked(firstNumber + (int)firstLines));
                ReadPart(part, secondIds, secondRows, readLine, ref stop);
            }
            catch (Exception e)
            {
                secondError = e;
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        try
        {
            using var part = LineReader.OpenRange(lines, from, split, firstNumber);
            bool never = false;
            ReadPart(part, ids, firstRows, readLine, ref never);
        }
        catch
        {
            Volatile.Write(ref stop, true);
            second.Wait();
            throw;
        }
        second.Wait();
        if (secondError is not null) ExceptionDispatchInfo.Throw(secondError);
        firstRows.Join(secondRows, ids.Users.Absorb(secondIds.Users), ids.Items.Absorb(secondIds.Items));
        return firstRows;
    }

    // Optimised from the start: the loop runs once per part, for millions of lines.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ReadPart(LineReader part, Ids ids, InteractionRows rows, Action<LineReader, Ids, InteractionRows> readLine, ref bool stop)
    {
        while (!Volatile.Read(ref stop) && part.Next()) readLine(part, ids, rows);
    }

    /// <summary>The offset just after the first line end at or after <paramref name="at"/> (<paramref name="length"/> when there is none).</summary>
    private static long LineStartAfter(string path, long at, long length)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
        stream.Seek(at, SeekOrigin.Begin);
        var buffer = new byte[1 << 16];
        int n;
        while ((n = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            int newline = buffer.AsSpan(0, n).IndexOf((byte)'\n');
            if (newline >= 0) return at + newline + 1;
            at += n;
        }
        return length;
    }
}
