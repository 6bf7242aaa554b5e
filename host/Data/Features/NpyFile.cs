using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Untangle.Contracts.Data;

namespace Untangle.Host.Data.Features;

/// <summary>
/// NumPy's .npy format (format versions 1.0, 2.0 and 3.0, numpy/lib/format.py): the magic
/// "\x93NUMPY", a version, a little-endian header length (2 bytes in 1.0, 4 bytes after), a Python
/// dict literal {'descr': '&lt;f4', 'fortran_order': False, 'shape': (rows, columns), } and the raw data.
/// Untangle reads 2-d little-endian float32 ('&lt;f4') and float64 ('&lt;f8', narrowed to float32) arrays in
/// C order, which is what MMRec's image_feat.npy and text_feat.npy are (np.save of a float array).
/// Anything else fails with one message naming the file, what was found and what was expected.
/// </summary>
public static partial class NpyFile
{
    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>
    /// Reads a rows × columns float matrix. With <paramref name="expectedRows"/> (the item count) a
    /// different row count is an error naming the file, the shape found and the shape expected.
    /// </summary>
    public static FeatureMatrix Read(string path, int? expectedRows = null)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: file not found; expected a .npy float matrix", path);
        using var stream = File.OpenRead(path);
        using var reader = new BinaryReader(stream);
        var (descr, fortran, shape) = ReadHeader(path, reader);

        int width = descr switch
        {
            "<f4" => 4,
            "<f8" => 8,
            _ => throw Error(path, $"dtype '{descr}'", "a little-endian float array, dtype '<f4' (float32) or '<f8' (float64)"),
        };
        if (fortran) throw Error(path, "fortran_order True", "C order (np.save of a C-contiguous array; use np.ascontiguousarray before saving)");
        if (shape.Length != 2) throw Error(path, $"shape {Shape(shape)}", "a 2-d array (items, feature dimension)");
        if (expectedRows is { } rows && shape[0] != rows)
            throw Error(path, $"shape {Shape(shape)}", $"({rows}, d): one row per item, in item-id order");
        if (shape[0] > int.MaxValue || shape[0] * shape[1] > Array.MaxLength)
            throw Error(path, $"shape {Shape(shape)}", "at most 2^31 values");

        long count = shape[0] * shape[1];
        long available = stream.Length - stream.Position;
        if (available != count * width)
            throw Error(path, $"{available} data bytes after the header for shape {Shape(shape)} of {descr}", $"{count * width} bytes");

        var data = new float[count];
        var bytes = reader.ReadBytes((int)Math.Min(available, int.MaxValue));
        if (width == 4)
        {
            for (long k = 0; k < count; k++)
                data[k] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan((int)(k * 4), 4));
        }
        else
        {
            for (long k = 0; k < count; k++)
                data[k] = (float)BinaryPrimitives.ReadDoubleLittleEndian(bytes.AsSpan((int)(k * 8), 8));
        }
        // A NaN or an infinity would reach training and surface as a NaN loss far from its cause.
        int columns = (int)shape[1];
        for (long k = 0; k < count; k++)
            if (!float.IsFinite(data[k]))
                throw Error(path, $"{data[k].ToString(CultureInfo.InvariantCulture)} at row {k / columns} column {k % columns} (0-based: item row, feature)",
                    "finite feature values (fill or drop the missing ones before saving"
                    + (width == 8 ? "; a float64 beyond float32's ±3.4e38 becomes infinite here)" : ")"));
        return new FeatureMatrix((int)shape[0], columns, data);
    }

    /// <summary>Writes <paramref name="matrix"/> as a version 1.0 '&lt;f4' C-order .npy file (np.load reads it).</summary>
    public static void Write(string path, FeatureMatrix matrix)
    {
        var dict = $"{{'descr': '<f4', 'fortran_order': False, 'shape': ({matrix.Rows}, {matrix.Columns}), }}";
        // The header (magic + version + length + dict + '\n') is padded with spaces to a multiple of 64 bytes.
        int unpadded = Magic.Length + 2 + 2 + dict.Length + 1;
        int padding = (64 - unpadded % 64) % 64;
        var header = dict + new string(' ', padding) + "\n";
        using var stream = File.Create(path);
        using var writer = new BinaryWriter(stream);
        writer.Write(Magic);
        writer.Write((byte)1);
        writer.Write((byte)0);
        writer.Write((ushort)header.Length);
        writer.Write(Encoding.ASCII.GetBytes(header));
        var buffer = new byte[4];
        foreach (var v in matrix.Data)
        {
            BinaryPrimitives.WriteSingleLittleEndian(buffer, v);
            writer.Write(buffer);
        }
    }

    private static (string Descr, bool Fortran, long[] Shape) ReadHeader(string path, BinaryReader reader)
    {
        var magic = reader.ReadBytes(Magic.Length + 2);
        if (magic.Length < Magic.Length + 2 || !magic.AsSpan(0, Magic.Length).SequenceEqual(Magic))
            throw Error(path, "no .npy magic string at the start", "a NumPy .npy file (starting with \\x93NUMPY)");
        int major = magic[Magic.Length];
        long headerLength = major switch
        {
            1 => reader.BaseStream.Length >= 10 ? reader.ReadUInt16() : -1,
            2 or 3 => reader.BaseStream.Length >= 12 ? reader.ReadUInt32() : -1,
            _ => throw Error(path, $"format version {major}.{magic[Magic.Length + 1]}", "format version 1.0, 2.0 or 3.0"),
        };
        if (headerLength < 0 || reader.BaseStream.Position + headerLength > reader.BaseStream.Length)
            throw Error(path, "a header longer than the file", "a complete .npy header");
        var text = (major == 3 ? Encoding.UTF8 : Encoding.Latin1).GetString(reader.ReadBytes((int)headerLength)).Trim();

        var descr = DescrPattern().Match(text);
        var fortran = FortranPattern().Match(text);
        var shape = ShapePattern().Match(text);
        if (!descr.Success || !fortran.Success || !shape.Success)
            throw Error(path, $"header '{text}'", "a dict with 'descr', 'fortran_order' and 'shape'");
        var dims = shape.Groups[1].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(d => long.TryParse(d, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n
                : throw Error(path, $"shape '({shape.Groups[1].Value})'", "a tuple of non-negative integers"))
            .ToArray();
        return (descr.Groups[1].Value, fortran.Groups[1].Value == "True", dims);
    }

    private static string Shape(long[] shape) => shape.Length == 1 ? $"({shape[0]},)" : "(" + string.Join(", ", shape) + ")";

    private static InvalidDataException Error(string path, string found, string expected) =>
        new($"{path}: {found}; expected {expected}");

    [GeneratedRegex(@"'descr'\s*:\s*'([^']*)'")]
    private static partial Regex DescrPattern();

    [GeneratedRegex(@"'fortran_order'\s*:\s*(True|False)")]
    private static partial Regex FortranPattern();

    [GeneratedRegex(@"'shape'\s*:\s*\(([^)]*)\)")]
    private static partial Regex ShapePattern();
}
