using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Untangle.Contracts.Data;

namespace Untangle.Host.Data.Features;

/// <summary>
/// A folder of MMRec-compatible item text features: text_feat.npy (items × 384, float32, rows in the data
/// set's item order, all-MiniLM-L6-v2 as MMRec) and item_ids.txt (row r is item id line r, which
/// <see cref="ModalityFiles"/> checks so rows cannot silently belong to other items). Written by the
/// features verb and by dataset.features=auto (<see cref="DerivedTextFeatures"/>).
/// </summary>
public static class TextFeatureFolder
{
    public const string MatrixFile = "text_feat.npy";
    public const string IdsFile = "item_ids.txt";

    /// <summary>Encodes every item's text and writes both files into <paramref name="folder"/> (created if missing).</summary>
    public static FeatureMatrix Write(Dataset dataset, string folder, ILogger logger)
    {
        var texts = ItemTextEmbedding.Texts(dataset);
        Directory.CreateDirectory(folder);
        logger.LogInformation("encoding {Count} item texts of {Dataset} with all-MiniLM-L6-v2, e.g. \"{Example}\"", texts.Length, dataset.Name, texts.FirstOrDefault());
        var clock = Stopwatch.StartNew();
        var matrix = ItemTextEmbedding.Encode(texts, progress: done =>
        {
            if (done % 640 == 0 || done == texts.Length) logger.LogInformation("{Done}/{Total} items", done, texts.Length);
        });
        var npy = Path.Combine(folder, MatrixFile);
        NpyFile.Write(npy, matrix);
        File.WriteAllLines(Path.Combine(folder, IdsFile), dataset.ItemIds);
        logger.LogInformation("wrote {File} ({Rows} x {Columns}) in {Seconds:F1}s", npy, matrix.Rows, matrix.Columns, clock.Elapsed.TotalSeconds);
        return matrix;
    }
}
