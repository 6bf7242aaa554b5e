using System.Runtime.CompilerServices;
using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Unicode;

namespace Untangle.Host.Data.Parsing;

/// <summary>
/// Reads a data file line by line and knows where it is, so every parse error names the file, the
/// 1-based line, the offending text and what was expected (<see cref="DataFormatException"/>).
/// Blank lines carry no data and are passed over (u.genre ends with one); everything else is either
/// parsed or rejected, never skipped.
/// </summary>
/// <example>
/// <code>
/// using var lines = LineReader.Open(path, TextEncodingChoice.Utf8);
/// while (lines.Next())
/// {
///     var f = lines.Split('\t', 4, "4 tab-separated fields: user id, item id, rating, timestamp");
///     float rating = lines.Float(f[2], "rating");
/// }
/// </code>
/// </example>
public sealed class LineReader : IDisposable
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private readonly Stream _stream;
    // Lines are cut from bytes and decoded one by one, so an invalid byte is reported at its own line.
    private byte[] _buffer = new byte[1 << 16];
    private int _start, _end;
    private bool _endOfFile;
    // Bytes of the file this reader may still read (a range reader stops at its range's end), and where its reading began.
    private long _unread;
    private readonly long _origin;
    private long _read;

    private LineReader(string path, Encoding encoding, bool validated, long from = 0, long to = long.MaxValue, int linesBefore = 0)
    {
        Path = path;
        Encoding = encoding;
        _checkUtf8 = encoding == StrictUtf8 && !validated;
        _stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
        if (from > 0) _stream.Seek(from, SeekOrigin.Begin);
        _origin = from;
        _unread = to - from;
        Number = linesBefore;
    }

    // Each line is checked for UTF-8 unless a pass over the whole file already found it valid (Utf8OrLatin1).
    private readonly bool _checkUtf8;

    /// <summary>
    /// A reader of the bytes [<paramref name="from"/>, <paramref name="to"/>) of <paramref name="whole"/>'s file
    /// (both at line starts), in the encoding chosen for the file, numbering its first line
    /// <paramref name="linesBefore"/> + 1: one part of a file read on several threads (<see cref="FileParts"/>).
    /// </summary>
    public static LineReader OpenRange(LineReader whole, long from, long to, int linesBefore) =>
        new(whole.Path, whole.Encoding, !whole._checkUtf8, from, to, linesBefore);

    /// <summary>The byte offset in the file where the next line starts (after <see cref="Next"/>'s line and its end).</summary>
    public long NextLineOffset => _origin + _read - (_end - _start);

    /// <summary>Opens <paramref name="path"/>; the caller has checked that it exists (<see cref="DataLocation"/>).</summary>
    public static LineReader Open(string path, TextEncodingChoice encoding) => encoding switch
    {
        TextEncodingChoice.Utf8 => new(path, StrictUtf8, validated: false),
        TextEncodingChoice.Latin1 => new(path, Encoding.Latin1, validated: false),
        _ => IsValidUtf8(path) ? new(path, StrictUtf8, validated: true) : new(path, Encoding.Latin1, validated: false),
    };

    public string Path { get; }
    /// <summary>The encoding the file is read with (for <see cref="TextEncodingChoice.Utf8OrLatin1"/>, the one chosen).</summary>
    public Encoding Encoding { get; }
    /// <summary>The current line's 1-based number (0 before the first <see cref="Next"/>).</summary>
    public int Number { get; private set; }

    /// <summary>The current line's text, without its line ending (decoded when first asked for).</summary>
    public string Text => _text ??= Encoding.GetString(_buffer, _lineFrom, _lineLength);

    /// <summary>
    /// The current line's bytes, without its line ending, valid until the next <see cref="Next"/>: for
    /// readers that parse spans instead of strings (<see cref="TryAsciiFields"/>).
    /// </summary>
    public ReadOnlySpan<byte> Bytes => _buffer.AsSpan(_lineFrom, _lineLength);

    private string? _text = "";
    private int _lineFrom, _lineLength;

    /// <summary>Moves to the next non-blank line; false at the end of the file.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool Next()
    {
        while (NextLineBytes(out int from, out int length))
        {
            Number++;
            // A UTF-8 byte-order mark at the start of the file is not part of the first field.
            if (Number == 1 && Encoding == StrictUtf8 && _buffer.AsSpan(from, length).StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
            {
                from += 3;
                length -= 3;
            }
            var bytes = _buffer.AsSpan(from, length);
            if (_checkUtf8 && !Utf8.IsValid(bytes))
            {
                Take(from, length, Encoding.Latin1.GetString(bytes));
                throw Error("bytes that are not valid UTF-8", "UTF-8 text");
            }
            // A line with an ASCII byte that is not white space is not blank; any other line is decoded to tell.
            // (A blank line is passed over and leaves the current line as it was.)
            string? text = null;
            int at = bytes.IndexOfAnyExcept(AsciiWhiteSpace);
            if ((at < 0 || bytes[at] >= 0x80) && string.IsNullOrWhiteSpace(text = Encoding.GetString(bytes))) continue;
            Take(from, length, text);
            return true;
        }
        return false;
    }

    private void Take(int from, int length, string? text)
    {
        _lineFrom = from;
        _lineLength = length;
        _text = text;
    }

    // The ASCII characters char.IsWhiteSpace accepts: tab, line feed, vertical tab, form feed, carriage return, space.
    private static readonly SearchValues<byte> AsciiWhiteSpace = SearchValues.Create("\t\n\v\f\r "u8);

    /// <summary>
    /// Cuts the current line at <paramref name="separator"/> into exactly <paramref name="fields"/>.Length
    /// ranges of <see cref="Bytes"/>, when the line is plain ASCII (and, with <paramref name="noQuotes"/>,
    /// holds no double quote); false otherwise, and then the caller parses the line as text
    /// (<see cref="Split(char, int, string)"/>), which reads or rejects it with its usual message. Fields
    /// are cut from the left, as <see cref="string.Split(string?, StringSplitOptions)"/> cuts them.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool TryAsciiFields(ReadOnlySpan<byte> separator, Span<Range> fields, bool noQuotes = false)
    {
        var line = Bytes;
        if (!Ascii.IsValid(line) || (noQuotes && line.Contains((byte)'"'))) return false;
        int from = 0;
        for (int f = 0; f < fields.Length - 1; f++)
        {
            int at = line[from..].IndexOf(separator);
            if (at < 0) return false;
            fields[f] = new Range(from, from + at);
            from += at + separator.Length;
        }
        if (line[from..].IndexOf(separator) >= 0) return false;
        fields[^1] = new Range(from, line.Length);
        return true;
    }

    /// <summary>The next line's bytes in <see cref="_buffer"/>, without "\n" or "\r\n".</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool NextLineBytes(out int from, out int length)
    {
        while (true)
        {
            int newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            if (newline >= 0 || (_endOfFile && _start < _end))
            {
                int stop = newline >= 0 ? newline : _end;
                from = _start;
                length = stop - _start;
                if (length > 0 && _buffer[stop - 1] == (byte)'\r') length--;
                _start = newline >= 0 ? newline + 1 : _end;
                return true;
            }
            if (_endOfFile)
            {
                from = length = 0;
                return false;
            }
            // The buffer is about to move: the current line's text is kept before its bytes go.
            _text ??= Encoding.GetString(_buffer, _lineFrom, _lineLength);
            if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }
            if (_end == _buffer.Length) Array.Resize(ref _buffer, _buffer.Length * 2);
            int read = _stream.Read(_buffer, _end, (int)Math.Min(_buffer.Length - _end, _unread));
            if (read == 0) _endOfFile = true;
            else
            {
                _end += read;
                _read += read;
                _unread -= read;
            }
        }
    }

    /// <summary>Splits the current line at <paramref name="separator"/> and insists on exactly <paramref name="count"/> fields.</summary>
    public string[] Split(char separator, int count, string expected)
    {
        var fields = Text.Split(separator);
        if (fields.Length != count) throw Error($"{fields.Length} field{(fields.Length == 1 ? "" : "s")}", expected);
        return fields;
    }

    /// <summary>Splits the current line at a multi-character <paramref name="separator"/> (MovieLens "::") into exactly <paramref name="count"/> fields.</summary>
    public string[] Split(string separator, int count, string expected)
    {
        var fields = Text.Split(separator);
        if (fields.Length != count) throw Error($"{fields.Length} field{(fields.Length == 1 ? "" : "s")}", expected);
        return fields;
    }

    /// <summary>
    /// Splits at <paramref name="separator"/> into <paramref name="count"/> fields where only the field at
    /// <paramref name="freeField"/> may itself contain the separator (a title or tag with "::" in it):
    /// the fields before it are cut from the left, those after it from the right.
    /// </summary>
    public string[] SplitAround(string separator, int count, int freeField, string expected)
    {
        var fields = new string[count];
        int left = 0, right = Text.Length;
        for (int f = 0; f < freeField; f++)
        {
            int at = Text.IndexOf(separator, left, StringComparison.Ordinal);
            if (at < 0) throw FieldCountError(separator, expected);
            fields[f] = Text[left..at];
            left = at + separator.Length;
        }
        for (int f = count - 1; f > freeField; f--)
        {
            int at = right - left < separator.Length ? -1 : Text.LastIndexOf(separator, right - 1, right - left, StringComparison.Ordinal);
            if (at < left) throw FieldCountError(separator, expected);
            fields[f] = Text[(at + separator.Length)..right];
            right = at;
        }
        fields[freeField] = Text[left..right];
        return fields;
    }

    private DataFormatException FieldCountError(string separator, string expected)
    {
        int n = Text.Split(separator).Length;
        return Error($"{n} field{(n == 1 ? "" : "s")}", expected);
    }

    /// <summary>Splits the current line as CSV (RFC 4180 quoting, see <see cref="QuotedFields"/>) into exactly <paramref name="count"/> fields.</summary>
    public string[] SplitCsv(int count, string expected, char separator = ',')
    {
        var fields = new List<string>(count);
        var problem = QuotedFields.Split(Text, separator, fields);
        if (problem is not null) throw Error(problem, expected);
        if (fields.Count != count) throw Error($"{fields.Count} field{(fields.Count == 1 ? "" : "s")}", expected);
        return fields.ToArray();
    }

    /// <summary>
    /// Reads the first line as a CSV header that must be exactly <paramref name="expected"/> (say
    /// "userId,movieId,rating,timestamp"); an empty file or any other header is an error at line 1.
    /// </summary>
    public void ExpectHeader(string expected, char separator = ',')
    {
        if (!Next()) throw new DataFormatException(Path, 1, "an empty file", "", $"the header {expected}");
        var fields = new List<string>();
        var wanted = expected.Split(separator);
        if (QuotedFields.Split(Text, separator, fields) is not null
            || !fields.Select(f => f.Trim()).SequenceEqual(wanted, StringComparer.Ordinal))
            throw Error("a wrong header", $"the header {expected}");
    }

    public int Int(string field, string name, string expected = "an integer")
    {
        if (int.TryParse(field, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v)) return v;
        throw Error($"{name} '{field}' is not an integer", expected);
    }

    public long Long(string field, string name, string expected = "an integer")
    {
        if (long.TryParse(field, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v)) return v;
        throw Error($"{name} '{field}' is not an integer", expected);
    }

    public float Float(string field, string name, string expected = "a number such as 4 or 3.5")
    {
        if (float.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out var v))
            return float.IsFinite(v) ? v : throw Error($"{name} '{field}' is not finite (NaN or infinite, or beyond float32's ±3.4e38)", expected);
        throw Error($"{name} '{field}' is not a number", expected);
    }

    /// <summary>A timestamp as whole seconds; RecBole writes them as floats ("881250949.0").</summary>
    public long Timestamp(string field, string name, string expected = "a Unix timestamp in seconds")
    {
        if (long.TryParse(field, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v)) return v;
        if (double.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d)
            && d >= long.MinValue && d <= long.MaxValue) return (long)Math.Floor(d);
        throw Error($"{name} '{field}' is not a timestamp", expected);
    }

    /// <summary>An error at the current line, its text quoted (throw what this returns).</summary>
    public DataFormatException Error(string problem, string expected) => new(Path, Number, problem, Text, expected);

    public void Dispose() => _stream.Dispose();

    /// <summary>
    /// The number of lines in <paramref name="path"/> (line ends, plus a last line without one), blank
    /// lines and a header included: an upper bound on its data lines, so a reader can size its arrays
    /// once instead of growing them. One vectorised pass over the bytes.
    /// </summary>
    public static long CountLines(string path) => CountLines(path, 0, long.MaxValue);

    /// <summary>The lines in the bytes [<paramref name="from"/>, <paramref name="to"/>) of <paramref name="path"/>, as <see cref="CountLines(string)"/> counts them.</summary>
    public static long CountLines(string path, long from, long to)
    {
        var buffer = new byte[1 << 20];
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
        if (from > 0) stream.Seek(from, SeekOrigin.Begin);
        long lines = 0, unread = to - from;
        byte last = (byte)'\n';
        int n;
        while (unread > 0 && (n = stream.Read(buffer, 0, (int)Math.Min(buffer.Length, unread))) > 0)
        {
            lines += buffer.AsSpan(0, n).Count((byte)'\n');
            last = buffer[n - 1];
            unread -= n;
        }
        return last == (byte)'\n' ? lines : lines + 1;
    }

    /// <summary>One streaming pass over the bytes (vectorised validation; a chunk is checked up to its last line end, the rest carried over), keeping big files out of memory.</summary>
    private static bool IsValidUtf8(string path)
    {
        var buffer = new byte[1 << 20];
        using var stream = File.OpenRead(path);
        int carried = 0;
        while (true)
        {
            int n = stream.Read(buffer, carried, buffer.Length - carried);
            int filled = carried + n;
            if (n == 0) return Utf8.IsValid(buffer.AsSpan(0, filled));
            // A line end never sits inside a multi-byte sequence, so each chunk up to one is checked alone.
            int cut = buffer.AsSpan(0, filled).LastIndexOf((byte)'\n') + 1;
            if (cut == 0)
            {
                if (filled == buffer.Length) Array.Resize(ref buffer, buffer.Length * 2);
                carried = filled;
                continue;
            }
            if (!Utf8.IsValid(buffer.AsSpan(0, cut))) return false;
            carried = filled - cut;
            buffer.AsSpan(cut, carried).CopyTo(buffer);
        }
    }
}
