using Untangle.Host.Data.Parsing;
using Untangle.Host.Data.Protocols;
using Untangle.Host.Data.Readers;
using Untangle.Contracts.Settings;
using Untangle.Tests.Data.Features;

namespace Untangle.Tests.Data.Readers;

public sealed class MmrecReaderTests : IDisposable
{
    private readonly MmrecReader _reader = new();
    private readonly string _folder = Scratch.Folder("untangle-mmrec-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>The hand-written small.inter (3 users, 4 items) in a temp folder, with the feature files a test adds.</summary>
    private string Folder(params (string File, byte[] Bytes)[] features)
    {
        var target = Path.Combine(_folder, "small");
        Directory.CreateDirectory(target);
        File.Copy(Path.Combine(ReaderFixtures.Folder("mmrec/small"), "small.inter"), Path.Combine(target, "small.inter"));
        foreach (var (file, bytes) in features) File.WriteAllBytes(Path.Combine(target, file), bytes);
        return target;
    }

    private Untangle.Contracts.Data.Dataset Read(string folder, IReadOnlyDictionary<string, string>? options = null) =>
        _reader.Read(folder, SettingValues.Resolve("dataset", _reader.Options, options), new RecordingLogger());

    [Fact]
    public void Ids_keep_their_numbers_and_the_x_label_column_becomes_a_weak_split()
    {
        var data = Read(Folder());

        data.UserIds.Should().Equal("0", "1", "2");
        data.ItemIds.Should().Equal("0", "1", "2", "3");
        data.Interactions.Count.Should().Be(10);
        var split = data.PredefinedSplit!;
        split.Protocol.Should().Be("presplit");
        split.HeldOutUsers.Should().BeFalse();
        split.Train.Row(0).ToArray().Should().Equal(0, 1);
        split.Train.Row(1).ToArray().Should().Equal(1, 3);
        split.Validation.Users.Should().Equal(0, 1, 2);
        split.Validation.Known.Row(0).ToArray().Should().Equal(0, 1);
        split.Validation.Targets.Row(0).ToArray().Should().Equal(2);
        split.Validation.Targets.Row(2).ToArray().Should().BeEmpty();
        split.Test.Targets.Row(1).ToArray().Should().Equal(2);
        // validation items are masked at test time by default
        split.Test.Known.Row(1).ToArray().Should().Equal(0, 1, 3);
    }

    [Fact]
    public void Mask_validation_false_tests_against_the_training_items_only_as_MMRec()
    {
        var split = Read(Folder(), new Dictionary<string, string> { ["mask_validation"] = "false" }).PredefinedSplit!;

        split.Test.Known.Row(1).ToArray().Should().Equal(1, 3);
    }

    [Fact]
    public void The_presplit_protocol_returns_the_readers_split()
    {
        var data = Read(Folder());

        new PresplitProtocol().Apply(data, SettingValues.Resolve("protocol", [], null), 1).Should().BeSameAs(data.PredefinedSplit);
    }

    [Fact]
    public void Feature_files_become_image_and_text_modalities()
    {
        var image = NpyFileTests.NpyBytes("<f4", "(4, 2)", NpyFileTests.Floats(1, 2, 3, 4, 5, 6, 7, 8));
        var text = NpyFileTests.NpyBytes("<f4", "(4, 1)", NpyFileTests.Floats(9, 8, 7, 6));

        var data = Read(Folder(("image_feat.npy", image), ("text_feat.npy", text)));

        data.ItemFeatures.Keys.Should().BeEquivalentTo("image", "text");
        data.ItemFeatures["image"].Row(3).ToArray().Should().Equal(7f, 8f);
        data.ItemFeatures["text"].Columns.Should().Be(1);
    }

    [Fact]
    public void A_feature_file_with_the_wrong_number_of_rows_is_an_error_naming_it()
    {
        var image = NpyFileTests.NpyBytes("<f4", "(3, 2)", NpyFileTests.Floats(1, 2, 3, 4, 5, 6));

        var act = () => Read(Folder(("image_feat.npy", image)));

        act.Should().Throw<InvalidDataException>().WithMessage("*image_feat.npy: shape (3, 2); expected (4, d)*");
    }

    [Fact]
    public void A_bad_x_label_is_an_error_at_its_line()
    {
        var folder = Folder();
        File.AppendAllText(Path.Combine(folder, "small.inter"), "2\t0\t1\t109\t7\n");

        var act = () => Read(folder);

        act.Should().Throw<DataFormatException>().Where(e => e.Line == 12)
            .WithMessage("*small.inter:12: x_label 7*expected 0 (train), 1 (validation) or 2 (test)");
    }
}
