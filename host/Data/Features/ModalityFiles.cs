using Microsoft.Extensions.Logging;
using Untangle.Contracts.Data;
using Untangle.Contracts.Settings;

namespace Untangle.Host.Data.Features;

/// <summary>
/// Attaches MMRec-style modality files (text_feat.npy, image_feat.npy; rows in the data set's item order,
/// as the features verb writes them) to a data set read by another reader, as ItemFeatures "text" and
/// "image". The option is dataset.features (a folder; empty: none). When the folder has item_ids.txt
/// (the features verb writes one) it must list the data set's item ids in order, so rows cannot silently
/// belong to other items. The value "auto" derives the text features on first use and reads them from
/// a cache folder afterwards (<see cref="DerivedTextFeatures"/>).
/// </summary>
public static class ModalityFiles
{
    public static SettingSpec Option { get; } = SettingSpec.String("features", "",
        "Folder with text_feat.npy and/or image_feat.npy (rows in item order, e.g. from the features verb) to add as ItemFeatures text/image; " +
        "'auto': derive the text features (all-MiniLM-L6-v2 on each item's text) once and reuse them from $UNTANGLE_CACHE, else $XDG_CACHE_HOME/untangle, else ~/.cache/untangle; empty: none.");

    public static Dataset Attach(Dataset dataset, SettingValues options, ILogger logger)
    {
        var folder = options.String(Option.Name).Trim();
        if (folder.Length == 0) return dataset;
        if (string.Equals(folder, DerivedTextFeatures.Auto, StringComparison.OrdinalIgnoreCase))
            folder = DerivedTextFeatures.Folder(dataset, DerivedTextFeatures.CacheRoot(), logger);
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"{folder}: folder not found; dataset.features expected a folder with text_feat.npy or image_feat.npy");
        var ids = Path.Combine(folder, "item_ids.txt");
        if (File.Exists(ids))
        {
            var listed = File.ReadAllLines(ids).Where(l => l.Length > 0).ToArray();
            int mismatch = Enumerable.Range(0, Math.Max(listed.Length, dataset.ItemCount))
                .FirstOrDefault(i => i >= listed.Length || i >= dataset.ItemCount || listed[i] != dataset.ItemIds[i], -1);
            if (mismatch >= 0)
                throw new InvalidDataException($"{ids}:{mismatch + 1}: '{(mismatch < listed.Length ? listed[mismatch] : "(end of file)")}'; expected item id '{(mismatch < dataset.ItemCount ? dataset.ItemIds[mismatch] : "(no more items)")}' of data set '{dataset.Name}' (the features belong to another item order)");
        }
        var features = new Dictionary<string, FeatureMatrix>(dataset.ItemFeatures);
        foreach (var (file, modality) in Readers.MmrecReader.FeatureFiles)
            if (File.Exists(Path.Combine(folder, file)))
                features[modality] = NpyFile.Read(Path.Combine(folder, file), dataset.ItemCount);
        if (features.Count == dataset.ItemFeatures.Count)
            throw new FileNotFoundException($"{folder}: no text_feat.npy or image_feat.npy; dataset.features expected at least one");
        return new Dataset
        {
            Name = dataset.Name, UserIds = dataset.UserIds, ItemIds = dataset.ItemIds, Interactions = dataset.Interactions,
            UserAttributes = dataset.UserAttributes, SensitiveAttribute = dataset.SensitiveAttribute,
            ItemCategories = dataset.ItemCategories, ItemText = dataset.ItemText, ItemFeatures = features,
            PredefinedSplit = dataset.PredefinedSplit, Extras = dataset.Extras,
        };
    }
}
