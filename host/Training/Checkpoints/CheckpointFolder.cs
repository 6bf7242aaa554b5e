using System.Globalization;

namespace Untangle.Host.Training.Checkpoints;

/// <summary>
/// A run's checkpoint/ folder: numbered snapshots (snapshot-000001, snapshot-000002, ...), each a
/// complete resume point. A snapshot is filled under a ".partial" name, its manifest is written last,
/// and only then is the folder renamed to its final name (a rename within one file system is atomic),
/// so a crash at any moment leaves either the previous snapshots or the new one, never half of one.
/// The two newest are kept: if the newest is found damaged, the error says an older one exists.
/// </summary>
public sealed class CheckpointFolder(string folder)
{
    private const string Prefix = "snapshot-";
    private const string Partial = ".partial";
    private const int Kept = 2;

    public string Path { get; } = folder;

    /// <summary>Writes a new snapshot: <paramref name="fill"/> writes its files into the folder it is given. Returns the snapshot's path.</summary>
    public string Write(Action<string> fill)
    {
        Directory.CreateDirectory(Path);
        foreach (var stale in Directory.EnumerateDirectories(Path, Prefix + "*" + Partial))
            Directory.Delete(stale, recursive: true); // left by a crash while writing: never finished, never used

        var number = Snapshots().Select(s => s.Number).DefaultIfEmpty(0).Max() + 1;
        var final = System.IO.Path.Combine(Path, Prefix + number.ToString("D6", CultureInfo.InvariantCulture));
        var temp = final + Partial;
        try
        {
            Directory.CreateDirectory(temp);
            fill(temp);
            Runs.FaultPoint.Reach("snapshot.fill", temp);
            CheckpointManifest.Write(temp);
            Runs.FaultPoint.Reach("snapshot.rename", temp);
            Directory.Move(temp, final);
            Runs.FaultPoint.Reach("snapshot.renamed", final);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A full disk mid-snapshot: the half-filled .partial goes, the previous snapshots stay the resume point.
            Runs.FileWrite.TryDelete(temp);
            throw Runs.FileWrite.Failed("writing the checkpoint", temp, e);
        }

        foreach (var old in Snapshots().OrderByDescending(s => s.Number).Skip(Kept))
            Directory.Delete(old.Path, recursive: true);
        return final;
    }

    /// <summary>
    /// The newest snapshot, verified against its manifest; null when there is none. A damaged newest
    /// snapshot throws <see cref="CorruptCheckpointException"/>: it is reported, not skipped in silence.
    /// </summary>
    public string? Latest()
    {
        var snapshots = Snapshots().OrderByDescending(s => s.Number).ToList();
        if (snapshots.Count == 0) return null;
        try
        {
            CheckpointManifest.Verify(snapshots[0].Path);
        }
        catch (CorruptCheckpointException e) when (snapshots.Count > 1)
        {
            throw new CorruptCheckpointException(
                $"{e.Message}. An older snapshot, {snapshots[1].Path}, exists: move the damaged folder aside to resume from it");
        }
        return snapshots[0].Path;
    }

    /// <summary>Whether a finished snapshot exists (not verified).</summary>
    public bool HasSnapshot => Snapshots().Any();

    private IEnumerable<(int Number, string Path)> Snapshots()
    {
        if (!Directory.Exists(Path)) yield break;
        foreach (var dir in Directory.EnumerateDirectories(Path, Prefix + "*"))
        {
            var name = System.IO.Path.GetFileName(dir);
            if (int.TryParse(name.AsSpan(Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var n))
                yield return (n, dir);
        }
    }
}
