using System.Runtime.CompilerServices;
using System.Composition;
using Microsoft.Extensions.Logging;
using Untangle.Contracts.Components;
using Untangle.Contracts.Data;
using Untangle.Contracts.Settings;
using Untangle.Host.Data.Parsing;

namespace Untangle.Host.Data.Readers;

/// <summary>
/// RecBole atomic files: dataset.path is a folder holding &lt;name&gt;.inter and optionally &lt;name&gt;.user and
/// &lt;name&gt;.item (or the .inter file itself). Tab-separated, first line a typed header "field:type".
/// <list type="bullet">
/// <item>.inter: the user and item fields (dataset.user_field, dataset.item_field), optionally a rating
/// (values; without one the data is implicit) and a timestamp (kept). Other fields are listed in the log and not used.</item>
/// <item>.user: each token field becomes a user attribute (empty value or no line: level "(missing)");
/// dataset.sensitive names the sensitive one (default "gender" when there is one; "none" for none).</item>
/// <item>.item: dataset.category_field (token or token_seq; default genre, else class) → ItemCategories
/// and ItemFeatures[field] multi-hot; dataset.text_field (default movie_title, else title) → ItemText;
/// every float_seq field → ItemFeatures[field] (items without a value get a zero row).</item>
/// </list>
/// Index order: users and items by first appearance in .inter, then those only in .user/.item in file
/// order. Repeated (user, item) pairs: the latest timestamp wins, then the later line
/// (<see cref="InteractionsBuilder"/>). A user or item listed twice in .user/.item is an error.
/// </summary>
[ExportComponent(ComponentKind.DatasetReader, "recbole",
    Description = "RecBole atomic files (<name>.inter, .user, .item with typed field:type headers)",
    Citation = "Wayne Xin Zhao et al. RecBole: Towards a Unified, Comprehensive and Efficient Framework for Recommendation Algorithms. CIKM 2021.")]
[Shared]
public sealed class RecBoleReader : IDatasetReader
{
    private const string Reader = "recbole";
    // Ids longer than this are read by the text path (no id is near it in practice).
    private const int IdCharacters = 64;

    public IReadOnlyList<SettingSpec> Options { get; } =
    [
        SettingSpec.String("name", "", "Atomic file base name (<name>.inter); empty: the folder's name, or the .inter file's when dataset.path names one."),
        SettingSpec.String("user_field", "user_id", "User id field of .inter and .user."),
        SettingSpec.String("item_field", "item_id", "Item id field of .inter and .item."),
        SettingSpec.String("rating_field", "rating", "Rating field of .inter (float); without it the data is implicit."),
        SettingSpec.String("timestamp_field", "timestamp", "Timestamp field of .inter (float seconds); optional."),
        SettingSpec.String("sensitive", "", "Sensitive user attribute (a .user token field); empty: gender when present; none: no sensitive attribute."),
        SettingSpec.String("category_field", "", "Item category field of .item (token or token_seq); empty: genre, else class, when present."),
        SettingSpec.String("text_field", "", "Item text field of .item; empty: movie_title, else title, when present."),
    ];

    public Dataset Read(string? path, SettingValues options, ILogger logger)
    {
        var (folder, name, interPath) = DataLocation.InterFiles(path, options.String("name"), Reader,
            "<name>.inter and optionally <name>.user and <name>.item (RecBole atomic files)",
            "the interactions: a tab-separated file whose header has user_id:token and item_id:token (set dataset.name for another base name)");

        var users = new IdIndex();
        var items = new IdIndex();
        var rows = ReadInteractions(interPath, options, users, items, logger);

        RecBoleUserTable? userTable = null;
        if (DataLocation.OptionalFile(folder, name + ".user") is { } userPath)
            userTable = RecBoleUserTable.Read(userPath, options.String("user_field"), users, logger);
        RecBoleItemTable? itemTable = null;
        if (DataLocation.OptionalFile(folder, name + ".item") is { } itemPath)
            itemTable = RecBoleItemTable.Read(itemPath, options, items, logger);

        if (userTable is not null && userTable.Listed < users.Count)
            logger.LogWarning("{File}: {Count} users have no line; their attributes are \"(missing)\"", name + ".user", users.Count - userTable.Listed);
        if (itemTable is not null && itemTable.Listed < items.Count)
            logger.LogWarning("{File}: {Count} items have no line; they have no categories or text", name + ".item", items.Count - itemTable.Listed);

        var interactions = rows.Build(users.Count, items.Count, out var duplicates);
        var attributes = userTable?.Attributes(users.Count) ?? new Dictionary<string, CategoricalAttribute>();
        var dataset = new Dataset
        {
            Source = interPath,
            Name = name,
            UserIds = users.Ids(),
            ItemIds = items.Ids(),
            Interactions = interactions,
            UserAttributes = attributes,
            SensitiveAttribute = Sensitive(options.String("sensitive"), attributes, userTable),
            ItemCategories = itemTable?.Categories(items.Count),
            ItemText = itemTable?.Text(items.Count),
            ItemFeatures = itemTable?.Features(items.Count, logger) ?? new Dictionary<string, FeatureMatrix>(),
        };
        ReadSummary.Log(logger, dataset, duplicates);
        return dataset;
    }

    private static InteractionRows ReadInteractions(string path, SettingValues options, IdIndex users, IdIndex items, ILogger logger)
    {
        using var lines = LineReader.Open(path, TextEncodingChoice.Utf8OrLatin1);
        var header = RecBoleHeader.Read(lines);
        var user = header.Require(options.String("user_field"), "user_field");
        var item = header.Require(options.String("item_field"), "item_field");
        var rating = OptionalField(header, options, "rating_field", "rating");
        var time = OptionalField(header, options, "timestamp_field", "timestamp");
        var unused = header.Fields.Where(f => f != user && f != item && f != rating && f != time).Select(f => f.Name).ToList();
        if (unused.Count > 0) logger.LogInformation("{File}: fields {Fields} are not used", path, string.Join(", ", unused));
        if (rating is null) logger.LogInformation("{File}: no {Field} field, so the interactions are implicit (value 1)", path, options.String("rating_field"));

        var line = new InterLine(header, user, item, rating, time);
        return FileParts.ReadRest(lines, new FileParts.Ids(users, items), rating is not null, time is not null, line.Read);
    }

    /// <summary>How one .inter line becomes an interaction; called by both parts of the file at once (<see cref="FileParts"/>), so it keeps no state.</summary>
    private sealed class InterLine(RecBoleHeader header, RecBoleHeader.Field user, RecBoleHeader.Field item, RecBoleHeader.Field? rating, RecBoleHeader.Field? time)
    {
        [SkipLocalsInit] // the id buffers are written before they are read
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Read(LineReader lines, FileParts.Ids ids, InteractionRows rows)
        {
            // Plain-ASCII lines are read from their bytes; any other line, or one with a field that does
            // not parse, is read as text below, which gives the same values or the line's error.
            Span<Range> spans = stackalloc Range[header.Fields.Count];
            if (lines.TryAsciiFields("\t"u8, spans))
            {
                Span<char> userChars = stackalloc char[IdCharacters], itemChars = stackalloc char[IdCharacters];
                var bytes = lines.Bytes;
                float value = 0;
                long stamp = 0;
                if ((rating is null || AsciiNumbers.TryFloat(bytes[spans[rating.Column]], out value))
                    && (time is null || AsciiNumbers.TryTimestamp(bytes[spans[time.Column]], out stamp))
                    && AsciiNumbers.TryChars(bytes[spans[user.Column]], userChars, out int userLength)
                    && AsciiNumbers.TryChars(bytes[spans[item.Column]], itemChars, out int itemLength)
                    && userChars[..userLength].Trim() is { Length: > 0 } userId
                    && itemChars[..itemLength].Trim() is { Length: > 0 } itemId)
                {
                    rows.Add(ids.Users.IndexOf(userId), ids.Items.IndexOf(itemId), rating is null ? null : value, time is null ? null : stamp);
                    return;
                }
            }
            var f = header.SplitRow(lines);
            var u = f[user.Column].Trim();
            var i = f[item.Column].Trim();
            if (u.Length == 0) throw lines.Error($"empty {user.Name}", "a user id");
            if (i.Length == 0) throw lines.Error($"empty {item.Name}", "an item id");
            rows.Add(ids.Users.IndexOf(u), ids.Items.IndexOf(i),
                rating is null ? null : lines.Float(f[rating.Column], rating.Name),
                time is null ? null : lines.Timestamp(f[time.Column], time.Name));
        }
    }

    /// <summary>A field that may be absent at its default name; one named explicitly must be there.</summary>
    private static RecBoleHeader.Field? OptionalField(RecBoleHeader header, SettingValues options, string option, string defaultName)
    {
        var name = options.String(option);
        var field = header.Find(name);
        if (field is null && name != defaultName)
            throw header.Error($"no field '{name}'", $"a field named by dataset.{option}, one of {string.Join(", ", header.Fields.Select(f => f.Name))}");
        if (field is not null && field.Type != RecBoleFieldType.Float)
            throw header.Error($"field '{name}' has type {field.Type}", $"{name}:float");
        return field;
    }

    private static string? Sensitive(string option, IReadOnlyDictionary<string, CategoricalAttribute> attributes, RecBoleUserTable? table)
    {
        if (option == "none") return null;
        if (option.Length == 0) return attributes.ContainsKey("gender") ? "gender" : null;
        if (attributes.ContainsKey(option)) return option;
        if (table is null)
            throw new ArgumentException($"dataset.sensitive = '{option}', but there is no .user file to take it from");
        throw table.Header.Error($"no token field '{option}' for dataset.sensitive",
            $"one of {string.Join(", ", attributes.Keys)} (or none)");
    }
}
