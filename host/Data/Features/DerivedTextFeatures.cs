using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Untangle.Contracts.Data;

namespace Untangle.Host.Data.Features;

/// <summary>
/// dataset.features=auto: the item text features the features verb writes, derived on first use and kept
/// in a cache folder, so an experiment that needs a "text" modality (pamd-ml100k, dcid-ml100k,
/// mmssl-ml100k) runs with no manual step. The cache key hashes the encoder's name, the item ids and the
/// item texts, so a changed data set or text composition gets a new folder instead of stale rows.
/// </summary>
public static class DerivedTextFeatures
{
    public const string Auto = "auto";
    private const string Encoder = "all-MiniLM-L6-v2";

    /// <summary>
    /// Where derived features are kept: $UNTANGLE_CACHE/features, else $XDG_CACHE_HOME/untangle/features,
    /// else ~/.cache/untangle/features.
    /// </summary>
    public static string CacheRoot()
    {
        var root = Environment.GetEnvironmentVariable("UNTANGLE_CACHE");
        if (string.IsNullOrWhiteSpace(root))
        {
            var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
            root = string.IsNullOrWhiteSpace(xdg)
                ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "untangle")
                : Path.Combine(xdg, "untangle");
        }
        return Path.Combine(root, "features");
    }

    /// <summary>The folder holding this data set's text features under <paramref name="cacheRoot"/>, encoding them first if it has none.</summary>
    public static string Folder(Dataset dataset, string cacheRoot, ILogger logger)
    {
        var texts = ItemTextEmbedding.Texts(dataset);
        var folder = Path.Combine(cacheRoot, $"{SafeName(dataset.Name)}-{Key(dataset.ItemIds, texts)}");
        if (File.Exists(Path.Combine(folder, TextFeatureFolder.MatrixFile)))
        {
            logger.LogInformation("dataset.features=auto: text features of {Dataset} from the cache {Folder}", dataset.Name, folder);
            return folder;
        }
        // Written beside and moved into place, so a killed run never leaves a half-written cache entry
        // that a later run would trust.
        var staging = $"{folder}.partial-{Guid.NewGuid():N}";
        try
        {
            TextFeatureFolder.Write(dataset, staging, logger);
            try { Directory.Move(staging, folder); }
            catch (IOException) when (File.Exists(Path.Combine(folder, TextFeatureFolder.MatrixFile))) { } // another run got there first
        }
        finally
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        }
        logger.LogInformation("dataset.features=auto: text features of {Dataset} cached in {Folder}", dataset.Name, folder);
        return folder;
    }

    private static string Key(IReadOnlyList<string> ids, IReadOnlyList<string> texts)
    {
        var text = new StringBuilder(Encoder).Append('\n');
        for (int i = 0; i < ids.Count; i++) text.Append(ids[i]).Append('\t').Append(texts[i]).Append('\n');
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..16];
    }

    private static string SafeName(string name) =>
        new(name.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_').ToArray());
}
