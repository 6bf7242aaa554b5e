using System.Runtime.CompilerServices;
using System.Globalization;
using System.Text;

namespace Untangle.Host.Data.Parsing;

/// <summary>
/// The numbers and ids of a plain-ASCII line read from its bytes (<see cref="LineReader.TryAsciiFields"/>),
/// with the same rules as <see cref="LineReader"/>'s text parsers, so a line read either way gives the same
/// values. Each returns false where the text parser would report an error; the caller then parses the
/// line as text, which reports it.
/// </summary>
public static class AsciiNumbers
{
    /// <summary>As <see cref="LineReader.Float"/>: a finite float32.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryFloat(ReadOnlySpan<byte> field, out float value)
    {
        // "4", "3.5", "0.125": at most 7 digits in all, so the digits are an exact float32 integer and one
        // division by an exact power of ten (10^1..10^7 are exact in float32) rounds as the parser does.
        int dot = field.IndexOf((byte)'.');
        int digitCount = dot < 0 ? field.Length : field.Length - 1;
        if (digitCount is > 0 and <= 7 && dot != 0 && dot != field.Length - 1)
        {
            int digits = 0, fraction = dot < 0 ? 0 : field.Length - dot - 1;
            bool plain = true;
            for (int c = 0; c < field.Length; c++)
            {
                if (c == dot) continue;
                int d = field[c] - '0';
                if ((uint)d > 9) { plain = false; break; }
                digits = digits * 10 + d;
            }
            if (plain)
            {
                value = fraction == 0 ? digits : digits / PowersOfTen[fraction];
                return true;
            }
        }
        return float.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && float.IsFinite(value);
    }

    private static readonly float[] PowersOfTen = [1f, 1e1f, 1e2f, 1e3f, 1e4f, 1e5f, 1e6f, 1e7f];

    /// <summary>As <see cref="LineReader.Long"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryLong(ReadOnlySpan<byte> field, out long value)
    {
        // Up to 18 digits cannot overflow; anything else (signs, spaces, longer) goes to the full parser.
        if (field.Length is > 0 and <= 18)
        {
            long v = 0;
            int c = 0;
            for (; c < field.Length; c++)
            {
                int d = field[c] - '0';
                if ((uint)d > 9) break;
                v = v * 10 + d;
            }
            if (c == field.Length)
            {
                value = v;
                return true;
            }
        }
        return long.TryParse(field, NumberStyles.Integer, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>As <see cref="LineReader.Int"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryInt(ReadOnlySpan<byte> field, out int value)
    {
        bool ok = TryLong(field, out long wide) && wide is >= int.MinValue and <= int.MaxValue;
        value = ok ? (int)wide : 0;
        return ok;
    }

    /// <summary>As <see cref="LineReader.Timestamp"/>: whole seconds, written as an integer or a float ("881250949.0").</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryTimestamp(ReadOnlySpan<byte> field, out long value)
    {
        if (TryLong(field, out value)) return true;
        if (double.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d)
            && d >= long.MinValue && d <= long.MaxValue)
        {
            value = (long)Math.Floor(d);
            return true;
        }
        return false;
    }

    /// <summary>The characters of an ASCII field, into <paramref name="into"/> (false when it does not fit).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryChars(ReadOnlySpan<byte> field, Span<char> into, out int length)
    {
        length = field.Length;
        return field.Length <= into.Length && Ascii.ToUtf16(field, into, out _) == System.Buffers.OperationStatus.Done;
    }
}
