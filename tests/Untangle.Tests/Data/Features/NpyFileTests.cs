using System.Buffers.Binary;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Untangle.Contracts.Data;
using Untangle.Host.Data.Features;

namespace Untangle.Tests.Data.Features;

public sealed class NpyFileTests : IDisposable
{
    private readonly string _folder = Scratch.Folder("untangle-npy-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>A .npy file as np.save writes it: version 1.0 header padded to 64 bytes, then the raw values.</summary>
    internal static byte[] NpyBytes(string descr, string shape, byte[] data, bool fortran = false, byte major = 1)
    {
        var dict = $"{{'descr': '{descr}', 'fortran_order': {(fortran ? "True" : "False")}, 'shape': {shape}, }}";
        int lengthBytes = major == 1 ? 2 : 4;
        int unpadded = 6 + 2 + lengthBytes + dict.Length + 1;
        var header = dict + new string(' ', (64 - unpadded % 64) % 64) + "\n";
        var bytes = new List<byte> { 0x93 };
        bytes.AddRange("NUMPY"u8.ToArray());
        bytes.Add(major);
        bytes.Add(0);
        if (major == 1) bytes.AddRange(BitConverter.GetBytes((ushort)header.Length));
        else bytes.AddRange(BitConverter.GetBytes((uint)header.Length));
        bytes.AddRange(Encoding.ASCII.GetBytes(header));
        bytes.AddRange(data);
        return bytes.ToArray();
    }

    internal static byte[] Floats(params float[] values)
    {
        var data = new byte[values.Length * 4];
        for (int k = 0; k < values.Length; k++) BinaryPrimitives.WriteSingleLittleEndian(data.AsSpan(k * 4), values[k]);
        return data;
    }

    private static byte[] Doubles(params double[] values)
    {
        var data = new byte[values.Length * 8];
        for (int k = 0; k < values.Length; k++) BinaryPrimitives.WriteDoubleLittleEndian(data.AsSpan(k * 8), values[k]);
        return data;
    }

    private string Save(string name, byte[] bytes)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Fact]
    public void Reads_float32_rows_in_C_order()
    {
        var path = Save("a.npy", NpyBytes("<f4", "(2, 3)", Floats(1, 2, 3, 4, 5, 6)));

        var m = NpyFile.Read(path, expectedRows: 2);

        m.Rows.Should().Be(2);
        m.Columns.Should().Be(3);
        m.Row(1).ToArray().Should().Equal(4f, 5f, 6f);
    }

    [Fact]
    public void Reads_float64_as_float32_and_version_2_headers()
    {
        var path = Save("b.npy", NpyBytes("<f8", "(3, 1)", Doubles(0.5, -1.25, 3), major: 2));

        NpyFile.Read(path).Data.Should().Equal(0.5f, -1.25f, 3f);
    }

    [Fact]
    public void What_it_writes_it_reads_back()
    {
        var path = Path.Combine(_folder, "w.npy");
        NpyFile.Write(path, new FeatureMatrix(2, 2, [1f, -2f, 3.5f, 0f]));

        NpyFile.Read(path, 2).Data.Should().Equal(1f, -2f, 3.5f, 0f);
        // np.load requires the data to start at a multiple of 64 bytes.
        (new FileInfo(path).Length - 16).Should().Be(128);
    }

    [Fact]
    public void A_row_count_other_than_the_item_count_names_the_file_and_both_shapes()
    {
        var path = Save("image_feat.npy", NpyBytes("<f4", "(2, 3)", Floats(1, 2, 3, 4, 5, 6)));

        var act = () => NpyFile.Read(path, expectedRows: 5);

        act.Should().Throw<InvalidDataException>()
            .WithMessage("*image_feat.npy: shape (2, 3); expected (5, d): one row per item*");
    }

    [Theory]
    [InlineData("<i4", "(2, 3)", false, "*dtype '<i4'*'<f4' (float32) or '<f8' (float64)*")]
    [InlineData(">f4", "(2, 3)", false, "*dtype '>f4'*little-endian*")]
    [InlineData("<f4", "(2, 3)", true, "*fortran_order True; expected C order*")]
    [InlineData("<f4", "(6,)", false, "*shape (6,); expected a 2-d array*")]
    public void Other_arrays_are_refused_with_what_was_found(string descr, string shape, bool fortran, string message)
    {
        var path = Save("c.npy", NpyBytes(descr, shape, Floats(1, 2, 3, 4, 5, 6), fortran));

        var act = () => NpyFile.Read(path);

        act.Should().Throw<InvalidDataException>().WithMessage(message);
    }

    [Theory]
    [InlineData("<f4", float.NaN, "NaN")]
    [InlineData("<f4", float.PositiveInfinity, "Infinity")]
    [InlineData("<f8", 1e300, "Infinity")]
    public void A_non_finite_value_fails_at_load_naming_the_file_row_and_column(string descr, double bad, string shown)
    {
        // 3 rows × 2 columns; the bad value is row 2, column 1 (0-based), the sixth value.
        double[] values = [1, 2, 3, 4, 5, bad];
        var data = descr == "<f4" ? Floats(values.Select(v => (float)v).ToArray()) : Doubles(values);
        var path = Save("image_feat.npy", NpyBytes(descr, "(3, 2)", data));

        var act = () => NpyFile.Read(path, expectedRows: 3);

        act.Should().Throw<InvalidDataException>()
            .WithMessage($"*image_feat.npy: {shown} at row 2 column 1 (0-based: item row, feature); expected finite feature values*");
    }

    [Fact]
    public void Truncated_data_and_files_that_are_not_npy_are_errors()
    {
        var truncated = Save("t.npy", NpyBytes("<f4", "(2, 3)", Floats(1, 2, 3)));
        var text = Save("x.npy", "userID\titemID\n"u8.ToArray());

        FluentActions.Invoking(() => NpyFile.Read(truncated)).Should().Throw<InvalidDataException>()
            .WithMessage("*t.npy: 12 data bytes after the header for shape (2, 3) of <f4; expected 24 bytes");
        FluentActions.Invoking(() => NpyFile.Read(text)).Should().Throw<InvalidDataException>()
            .WithMessage("*x.npy: no .npy magic string*");
    }
}

public sealed class ModalityFilesTests : IDisposable
{
    private readonly string _folder = Scratch.Folder("untangle-modality-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static Dataset Data() => new()
    {
        Name = "two", UserIds = ["u"], ItemIds = ["10", "20"], Interactions = new InteractionsBuilder(1, 2).Build(),
        ItemFeatures = new Dictionary<string, FeatureMatrix> { ["genre"] = new(2, 1, [1f, 0f]) },
    };

    private static Untangle.Contracts.Settings.SettingValues Options(string folder) =>
        Untangle.Contracts.Settings.SettingValues.Resolve("dataset", [ModalityFiles.Option], new Dictionary<string, string> { ["features"] = folder });

    [Fact]
    public void Text_features_join_the_existing_modalities()
    {
        NpyFile.Write(Path.Combine(_folder, "text_feat.npy"), new FeatureMatrix(2, 3, [1, 2, 3, 4, 5, 6]));
        File.WriteAllLines(Path.Combine(_folder, "item_ids.txt"), ["10", "20"]);

        var data = ModalityFiles.Attach(Data(), Options(_folder), NullLogger.Instance);

        data.ItemFeatures.Keys.Should().BeEquivalentTo("genre", "text");
        data.ItemFeatures["text"].Row(1).ToArray().Should().Equal(4f, 5f, 6f);
    }

    [Fact]
    public void Features_written_for_another_item_order_are_refused()
    {
        NpyFile.Write(Path.Combine(_folder, "text_feat.npy"), new FeatureMatrix(2, 1, [1, 2]));
        File.WriteAllLines(Path.Combine(_folder, "item_ids.txt"), ["10", "30"]);

        FluentActions.Invoking(() => ModalityFiles.Attach(Data(), Options(_folder), NullLogger.Instance)).Should().Throw<InvalidDataException>()
            .WithMessage("*item_ids.txt:2: '30'; expected item id '20'*");
    }
}
