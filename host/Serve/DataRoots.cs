using Untangle.Host.Composition;
using Untangle.Host.Runs;

namespace Untangle.Host.Serve;

/// <summary>
/// The folders a served run may read data from. Whoever can drop a file into the queue chooses its
/// dataset.path, and a reader's error quotes what it read; confined, a queue writer can make the server
/// read only data the operator allowed. Default: the working directory and the folders holding the
/// data of plugins.json's own experiments (../shared/data for this repository's); `run` is not confined.
/// </summary>
public sealed class DataRoots
{
    private readonly IReadOnlyList<string> _roots;

    private DataRoots(IReadOnlyList<string> roots) => _roots = roots;

    /// <summary>Anywhere: the configured value "*".</summary>
    public bool Unconfined => _roots.Count == 0;

    public static DataRoots Of(IReadOnlyList<string>? configured, PluginsFile plugins)
    {
        var roots = configured ?? [Directory.GetCurrentDirectory(), .. DataFoldersOf(plugins)];
        // Compared by real path, so a link inside a root that leads out of it does not count as inside.
        return new DataRoots(roots.Select(r => UnixFiles.RealPath(r) ?? Path.GetFullPath(r)).Distinct(StringComparer.Ordinal).ToList());
    }

    /// <summary>The parent folders of the dataset.path values in plugins.json's experiments (../shared/data/ml-100k gives ../shared/data).</summary>
    private static IEnumerable<string> DataFoldersOf(PluginsFile plugins) =>
        plugins.Experiments.Values
            .Select(e => e.Values.TryGetValue("dataset.path", out var p) ? p : null).OfType<string>()
            .Select(p => Path.GetFullPath(Path.IsPathRooted(p) ? p : Path.Combine(plugins.Directory, p)))
            .Select(p => Path.GetDirectoryName(p) ?? p);

    /// <summary>Refuses a dataset.path outside every root, before anything is read from it.</summary>
    public void Check(string? datasetPath)
    {
        if (datasetPath is null || Unconfined) return;
        var full = Path.GetFullPath(datasetPath);
        var real = UnixFiles.RealPath(full) ?? full;
        if (!_roots.Any(r => UnixFiles.IsInside(real, r)))
            throw new ConfigurationException(
                $"dataset.path {datasetPath}: outside the folders serve reads data from ({this}); add its folder to Untangle:Serve:DataRoots to allow it");
    }

    public override string ToString() => Unconfined ? "anywhere (Untangle:Serve:DataRoots = *)" : string.Join(", ", _roots);
}
