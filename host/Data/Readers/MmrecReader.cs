using System.Composition;
using Microsoft.Extensions.Logging;
using Untangle.Contracts.Components;
using Untangle.Contracts.Data;
using Untangle.Contracts.Settings;
using Untangle.Host.Data.Features;
using Untangle.Host.Data.Parsing;

namespace Untangle.Host.Data.Readers;

/// <summary>
/// MMRec's layout (Zhou, MMRec, 2023; the data MMSSL, LATTICE and FREEDOM report on): a folder with
/// &lt;name&gt;.inter, tab-separated with the header userID, itemID, (rating,) (timestamp,) x_label, and
/// optionally image_feat.npy and text_feat.npy with one row per item in item-id order.
/// <list type="bullet">
/// <item>Ids are MMRec's dense 0-based integers: user u and item i keep their numbers (UserIds "0".."U-1",
/// U = max userID + 1; likewise items), so feature row i is item i.</item>
/// <item>x_label 0 = train, 1 = validation, 2 = test → <see cref="Dataset.PredefinedSplit"/> for protocol
/// "presplit": weak generalization (every user trains); validation Known = the training items, test Known
/// = the training items plus, with dataset.mask_validation (default true, as weak-random), the validation
/// items. MMRec and MMSSL do not mask validation items at test time: set it to false to reproduce them.</item>
/// <item>image_feat.npy → ItemFeatures["image"], text_feat.npy → ItemFeatures["text"] (float32 or
/// float64, C order; a row count other than the item count is an error naming the file and both shapes).</item>
/// </list>
/// Repeated (user, item) rows are merged by <see cref="InteractionsBuilder"/>'s rule; the split takes the
/// x_label of the pair's last row.
/// </summary>
[ExportComponent(ComponentKind.DatasetReader, Name,
    Description = "MMRec folder: <name>.inter (userID, itemID, rating, timestamp, x_label) with image_feat.npy and text_feat.npy",
    Citation = "Xin Zhou. MMRec: Simplifying Multimodal Recommendation. MMAsia Workshops 2023.")]
[Shared]
public sealed class MmrecReader : IDatasetReader
{
    public const string Name = "mmrec";
    private const int Train = 0, Validation = 1, Test = 2;

    /// <summary>Feature files and the modality names they become.</summary>
    public static readonly (string File, string Modality)[] FeatureFiles = [("image_feat.npy", "image"), ("text_feat.npy", "text")];

    public IReadOnlyList<SettingSpec> Options { get; } =
    [
        SettingSpec.String("name", "", "Base name of the .inter file; empty: the folder's name, or the .inter file's when dataset.path names one."),
        SettingSpec.String("user_field", "userID", "User id column of .inter (0-based integers)."),
        SettingSpec.String("item_field", "itemID", "Item id column of .inter (0-based integers; feature row i is item i)."),
        SettingSpec.String("split_field", "x_label", "Split column: 0 train, 1 validation, 2 test."),
        SettingSpec.Bool("mask_validation", true, "Mask validation items at test time along with training items (MMRec and MMSSL do not: false)."),
    ];

    public Dataset Read(string? path, SettingValues options, ILogger logger)
    {
        var (folder, name, interPath) = DataLocation.InterFiles(path, options.String("name"), Name,
            "<name>.inter and optionally image_feat.npy and text_feat.npy (MMRec layout)",
            "the interactions: tab-separated with the header userID, itemID, rating, timestamp, x_label (set dataset.name for another base name)");

        var (rows, labels, users, items) = ReadInteractions(interPath, options, logger);
        var all = rows.Build(users, items, out var duplicates);
        var labelOf = LabelTable(all, labels);

        var features = new Dictionary<string, FeatureMatrix>();
        foreach (var (file, modality) in FeatureFiles)
            if (DataLocation.OptionalFile(folder, file) is { } featurePath)
                features[modality] = NpyFile.Read(featurePath, items);
        if (features.Count == 0) logger.LogWarning("{Folder}: no image_feat.npy or text_feat.npy; the data set has no item modalities", folder);

        var dataset = new Dataset
        {
            Source = interPath,
            Name = name,
            UserIds = Enumerable.Range(0, users).Select(Token).ToArray(),
            ItemIds = Enumerable.Range(0, items).Select(Token).ToArray(),
            Interactions = all,
            ItemFeatures = features,
            PredefinedSplit = Split(all, labelOf, options.Bool("mask_validation")),
        };
        ReadSummary.Log(logger, dataset, duplicates);
        return dataset;
    }

    private static string Token(int i) => i.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static (InteractionRows Rows, Dictionary<(int, int), int> Labels, int Users, int Items) ReadInteractions(
        string path, SettingValues options, ILogger logger)
    {
        using var lines = LineReader.Open(path, TextEncodingChoice.Utf8);
        if (!lines.Next()) throw new DataFormatException(path, 1, "an empty file", "", "a header line userID\\titemID\\t...\\tx_label");
        var header = lines.Text.Split('\t').Select(h => h.Trim()).ToArray();
        int Column(string option, bool required)
        {
            var field = options.String(option);
            int at = Array.IndexOf(header, field);
            if (at < 0 && required) throw lines.Error($"no column '{field}'", $"a tab-separated header naming dataset.{option} ('{field}')");
            return at;
        }
        int user = Column("user_field", true), item = Column("item_field", true), label = Column("split_field", true);
        int rating = Array.IndexOf(header, "rating"), time = Array.IndexOf(header, "timestamp");

        var rows = new InteractionRows(LineReader.CountLines(path) - 1); // less the header
        var labels = new Dictionary<(int, int), int>();
        int users = 0, items = 0;
        var layout = $"{header.Length} tab-separated fields ({string.Join(", ", header)})"; // once, not for every line
        Span<Range> spans = stackalloc Range[header.Length];
        while (lines.Next())
        {
            // Plain-ASCII lines are read from their bytes; any other line, or one with a field that does
            // not parse or is out of range, is read as text below, which gives the same values or the line's error.
            if (lines.TryAsciiFields("\t"u8, spans))
            {
                var bytes = lines.Bytes;
                float value = 0;
                long stamp = 0;
                if (AsciiNumbers.TryInt(bytes[spans[user]], out int fu) && fu >= 0
                    && AsciiNumbers.TryInt(bytes[spans[item]], out int fi) && fi >= 0
                    && AsciiNumbers.TryInt(bytes[spans[label]], out int fx) && fx is >= Train and <= Test
                    && (rating < 0 || AsciiNumbers.TryFloat(bytes[spans[rating]], out value))
                    && (time < 0 || AsciiNumbers.TryTimestamp(bytes[spans[time]], out stamp)))
                {
                    rows.Add(fu, fi, rating < 0 ? null : value, time < 0 ? null : stamp);
                    labels[(fu, fi)] = fx;
                    users = Math.Max(users, fu + 1);
                    items = Math.Max(items, fi + 1);
                    continue;
                }
            }
            var f = lines.Split('\t', header.Length, layout);
            int u = lines.Int(f[user], header[user], "a 0-based integer user id");
            int i = lines.Int(f[item], header[item], "a 0-based integer item id");
            int x = lines.Int(f[label], header[label], "0 (train), 1 (validation) or 2 (test)");
            if (u < 0) throw lines.Error($"{header[user]} {u}", "a 0-based integer user id");
            if (i < 0) throw lines.Error($"{header[item]} {i}", "a 0-based integer item id");
            if (x is < Train or > Test) throw lines.Error($"{header[label]} {x}", "0 (train), 1 (validation) or 2 (test)");
            rows.Add(u, i,
                rating < 0 ? null : lines.Float(f[rating], "rating"),
                time < 0 ? null : lines.Timestamp(f[time], "timestamp"));
            // Later rows overwrite, matching the builder's rule when timestamps tie or are absent.
            labels[(u, i)] = x;
            users = Math.Max(users, u + 1);
            items = Math.Max(items, i + 1);
        }
        if (rows.Count == 0) logger.LogWarning("{File}: no interactions", path);
        return (rows, labels, users, items);
    }

    /// <summary>The x_label of each stored entry of <paramref name="all"/>, aligned with its CSR order.</summary>
    private static int[] LabelTable(Interactions all, Dictionary<(int, int), int> labels)
    {
        var result = new int[all.Count];
        for (int u = 0; u < all.Rows; u++)
            for (int k = all.RowStart[u]; k < all.RowStart[u + 1]; k++)
                result[k] = labels[(u, all.Columns[k])];
        return result;
    }

    private static Split Split(Interactions all, int[] label, bool maskValidation)
    {
        Interactions Part(Func<int, bool> keep)
        {
            var builder = new InteractionsBuilder(all.Rows, all.ColumnCount);
            for (int u = 0; u < all.Rows; u++)
                for (int k = all.RowStart[u]; k < all.RowStart[u + 1]; k++)
                    if (keep(label[k])) builder.Add(u, all.Columns[k]);
            return builder.Build();
        }
        var train = Part(x => x == Train);
        var users = Enumerable.Range(0, all.Rows).ToArray();
        return new Split
        {
            Protocol = "presplit",
            Train = train,
            Validation = new EvaluationSet { Name = "validation", Users = users, DatasetUsers = users, Known = train, Targets = Part(x => x == Validation) },
            Test = new EvaluationSet
            {
                Name = "test", Users = users, DatasetUsers = users,
                Known = maskValidation ? Part(x => x != Test) : train,
                Targets = Part(x => x == Test),
            },
            UserToDataset = users,
            ItemToDataset = Enumerable.Range(0, all.ColumnCount).ToArray(),
            HeldOutUsers = false,
        };
    }
}
