using Untangle.Host.Training.Checkpoints;

namespace Untangle.Tests.Faults;

/// <summary>Snapshots appear whole or not at all, and a damaged one is reported rather than loaded.</summary>
public class CheckpointFolderTests
{
    private static CheckpointFolder Folder() => new(Path.Combine(Scratch.Folder("untangle-ckpt-").FullName, "checkpoint"));

    private static string Write(CheckpointFolder folder, string content) => folder.Write(dir =>
    {
        Directory.CreateDirectory(Path.Combine(dir, "modules"));
        File.WriteAllText(Path.Combine(dir, "modules", "model.pt"), content);
        File.WriteAllText(Path.Combine(dir, "state.json"), "{}");
    });

    [Fact]
    public void The_newest_snapshot_is_verified_and_returned_and_only_two_are_kept()
    {
        var folder = Folder();
        Write(folder, "one");
        Write(folder, "two");
        var third = Write(folder, "three");

        folder.Latest().Should().Be(third);
        File.ReadAllText(Path.Combine(third, "modules", "model.pt")).Should().Be("three");
        Directory.GetDirectories(folder.Path).Select(Path.GetFileName).Should().BeEquivalentTo("snapshot-000002", "snapshot-000003");
        File.ReadAllText(Path.Combine(third, CheckpointManifest.FileName)).Should().Contain("modules/model.pt").And.Contain("\"length\": 5");
    }

    [Fact]
    public void A_truncated_file_is_detected_and_named()
    {
        var folder = Folder();
        var snapshot = Write(folder, "weights of a model");
        var model = Path.Combine(snapshot, "modules", "model.pt");
        using (var f = new FileStream(model, FileMode.Open)) f.SetLength(7);

        var act = () => folder.Latest();

        act.Should().Throw<CorruptCheckpointException>().WithMessage("*modules/model.pt is 7 bytes, the manifest says 18 (truncated*not loaded*");
    }

    [Fact]
    public void A_changed_byte_is_detected_by_its_hash()
    {
        var folder = Folder();
        var snapshot = Write(folder, "weights");
        File.WriteAllText(Path.Combine(snapshot, "modules", "model.pt"), "weighTs");

        FluentActions.Invoking(() => folder.Latest()).Should().Throw<CorruptCheckpointException>().WithMessage("*modules/model.pt has SHA-256*changed after it was written*");
    }

    [Fact]
    public void A_snapshot_without_a_manifest_or_with_an_unlisted_file_is_refused_and_an_older_one_is_pointed_to()
    {
        var folder = Folder();
        Write(folder, "old");
        var newest = Write(folder, "new");
        File.WriteAllText(Path.Combine(newest, "stray.bin"), "?");

        FluentActions.Invoking(() => folder.Latest()).Should().Throw<CorruptCheckpointException>()
            .WithMessage("*stray.bin is not in the manifest*An older snapshot*snapshot-000001, exists*");

        File.Delete(Path.Combine(newest, "stray.bin"));
        File.Delete(Path.Combine(newest, CheckpointManifest.FileName));
        FluentActions.Invoking(() => folder.Latest()).Should().Throw<CorruptCheckpointException>().WithMessage("*no manifest.json, so it was never finished*");
    }

    [Fact]
    public void A_half_written_snapshot_left_by_a_crash_is_never_used_and_is_cleared_by_the_next_write()
    {
        var folder = Folder();
        var complete = Write(folder, "complete");
        // A crash while writing snapshot 2: its folder still has the .partial name and no manifest.
        var partial = Path.Combine(folder.Path, "snapshot-000002.partial");
        Directory.CreateDirectory(partial);
        File.WriteAllText(Path.Combine(partial, "state.json"), "{");

        folder.Latest().Should().Be(complete);
        var next = Write(folder, "next");
        Directory.Exists(partial).Should().BeFalse();
        Path.GetFileName(next).Should().Be("snapshot-000002");
    }

    [Fact]
    public void An_empty_folder_has_no_snapshot()
    {
        Folder().Latest().Should().BeNull();
    }
}
