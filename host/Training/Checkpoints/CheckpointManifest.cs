using System.Security.Cryptography;
using System.Text.Json;

namespace Untangle.Host.Training.Checkpoints;

/// <summary>
/// manifest.json: every file of a checkpoint with its length and SHA-256, written last. A snapshot
/// without it was never finished; a file whose length or hash differs was truncated or changed after
/// it was written. Either way the snapshot is reported and not loaded.
/// </summary>
public static class CheckpointManifest
{
    public const string FileName = "manifest.json";
    private const int Format = 1;

    private sealed record Entry(string Path, long Length, string Sha256);
    private sealed record Document(int Format, List<Entry> Files);

    /// <summary>Flushes every file in <paramref name="folder"/> to disk and lists it in the manifest, written last.</summary>
    public static void Write(string folder)
    {
        var entries = new List<Entry>();
        foreach (var path in Files(folder))
        {
            using (var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
            {
                stream.Flush(flushToDisk: true); // the manifest must never describe bytes still in the page cache only
                stream.Position = 0;
                entries.Add(new Entry(Relative(folder, path), stream.Length, Convert.ToHexStringLower(SHA256.HashData(stream))));
            }
        }
        var manifest = Path.Combine(folder, FileName);
        var temp = manifest + ".tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write))
        {
            JsonSerializer.Serialize(stream, new Document(Format, entries), CheckpointJson.Options);
            stream.Flush(flushToDisk: true);
        }
        File.Move(temp, manifest, overwrite: true);
    }

    /// <summary>Checks every file against the manifest; throws <see cref="CorruptCheckpointException"/> on the first difference.</summary>
    public static void Verify(string folder)
    {
        var manifest = Path.Combine(folder, FileName);
        if (!File.Exists(manifest))
            throw new CorruptCheckpointException($"checkpoint {folder}: no {FileName}, so it was never finished; it is not loaded");
        Document document;
        try
        {
            document = JsonSerializer.Deserialize<Document>(File.ReadAllText(manifest), CheckpointJson.Options)
                ?? throw new JsonException("empty");
        }
        catch (JsonException e)
        {
            throw new CorruptCheckpointException($"checkpoint {manifest}: unreadable manifest ({e.Message.Split(" Path:")[0]}); it is not loaded");
        }
        if (document.Format != Format || document.Files is null)
            throw new CorruptCheckpointException($"checkpoint {manifest}: manifest format {document.Format}, expected {Format}");

        var listed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in document.Files)
        {
            listed.Add(entry.Path);
            var path = Path.Combine(folder, entry.Path);
            if (!File.Exists(path))
                throw new CorruptCheckpointException($"checkpoint {folder}: {entry.Path} is missing; it is not loaded");
            using var stream = File.OpenRead(path);
            if (stream.Length != entry.Length)
                throw new CorruptCheckpointException(
                    $"checkpoint {folder}: {entry.Path} is {stream.Length} bytes, the manifest says {entry.Length} (truncated or overwritten); it is not loaded");
            var hash = Convert.ToHexStringLower(SHA256.HashData(stream));
            if (hash != entry.Sha256)
                throw new CorruptCheckpointException(
                    $"checkpoint {folder}: {entry.Path} has SHA-256 {hash[..12]}…, the manifest says {entry.Sha256[..Math.Min(12, entry.Sha256.Length)]}… (changed after it was written); it is not loaded");
        }
        foreach (var path in Files(folder))
            if (!listed.Contains(Relative(folder, path)))
                throw new CorruptCheckpointException($"checkpoint {folder}: {Relative(folder, path)} is not in the manifest; it is not loaded");
    }

    private static IEnumerable<string> Files(string folder) =>
        Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Where(p => Path.GetFileName(p) is not (FileName or FileName + ".tmp"))
            .Order(StringComparer.Ordinal);

    private static string Relative(string folder, string path) => Path.GetRelativePath(folder, path).Replace('\\', '/');
}
