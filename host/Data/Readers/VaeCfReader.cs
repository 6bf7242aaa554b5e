using System.Composition;
using Microsoft.Extensions.Logging;
using Untangle.Contracts.Components;
using Untangle.Contracts.Data;
using Untangle.Contracts.Settings;
using Untangle.Host.Data.Parsing;

namespace Untangle.Host.Data.Readers;

/// <summary>
/// The pre-split layout that Liang et al.'s vae_cf notebook writes (strong generalization already done):
/// train.csv, validation_tr.csv, validation_te.csv, test_tr.csv, test_te.csv, each with the header
/// "uid,sid", and unique_sid.txt with one raw item id per line; a sid is an index into that list.
/// <list type="bullet">
/// <item>Users: training uids (ascending), then validation uids, then test uids (each ascending);
/// UserIds are the uids. A uid in more than one of the three groups is an error.</item>
/// <item>Items: unique_sid.txt in file order (identity to the split's items). A sid outside
/// [0, items) is an error at its line.</item>
/// <item>Interactions: every row of the five files (implicit, value 1). <see cref="Dataset.PredefinedSplit"/>:
/// protocol "presplit", held-out users; Train = train.csv; validation and test users are not training
/// users (Users = -1), Known = their *_tr rows, Targets = their *_te rows. A *_te user without *_tr
/// rows is an error naming the file and uid.</item>
/// </list>
/// Repeated (uid, sid) rows are merged, the later line winning (<see cref="InteractionsBuilder"/>);
/// the files carry no timestamps or ratings.
/// </summary>
[ExportComponent(ComponentKind.DatasetReader, "vaecf",
    Description = "vae_cf pre-split folder (train/validation_tr/validation_te/test_tr/test_te.csv, unique_sid.txt)",
    Citation = "Dawen Liang, Rahul G. Krishnan, Matthew D. Hoffman and Tony Jebara. Variational Autoencoders for Collaborative Filtering. WWW 2018.")]
[Shared]
public sealed class VaeCfReader : IDatasetReader
{
    private const string Reader = "vaecf";
    private const string Header = "uid,sid";

    public IReadOnlyList<SettingSpec> Options { get; } = [];

    public Dataset Read(string? path, SettingValues options, ILogger logger)
    {
        var folder = DataLocation.Folder(path, Reader,
            "train.csv, validation_tr.csv, validation_te.csv, test_tr.csv, test_te.csv and unique_sid.txt (vae_cf layout)");
        string Required(string file, string what) => DataLocation.RequiredFile(folder, file, Reader, what);

        var itemIds = ReadItems(Required("unique_sid.txt", "the item ids, one per line (a sid indexes this list)"));
        var train = ReadPairs(Required("train.csv", $"the training users' items as CSV with the header {Header}"), itemIds.Length);
        var validationKnown = ReadPairs(Required("validation_tr.csv", $"the validation users' fold-in items ({Header})"), itemIds.Length);
        var validationTargets = ReadPairs(Required("validation_te.csv", $"the validation users' held-out items ({Header})"), itemIds.Length);
        var testKnown = ReadPairs(Required("test_tr.csv", $"the test users' fold-in items ({Header})"), itemIds.Length);
        var testTargets = ReadPairs(Required("test_te.csv", $"the test users' held-out items ({Header})"), itemIds.Length);

        // Dataset users: train, then validation, then test, each in ascending uid order.
        var userOf = new Dictionary<int, int>();
        var groupOf = new Dictionary<int, string>();
        var userIds = new List<string>();
        void AddGroup(PairFile known, IEnumerable<int> uids)
        {
            foreach (var uid in uids.Distinct().Order())
            {
                if (groupOf.TryGetValue(uid, out var other))
                    throw known.ErrorAt(uid, $"uid {uid} is also in {other}", "validation and test users disjoint from the training users and each other");
                groupOf[uid] = Path.GetFileName(known.Path);
                userOf[uid] = userIds.Count;
                userIds.Add(uid.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
        }
        AddGroup(train, train.Rows.Select(r => r.Uid));
        int trainUsers = userIds.Count;
        AddGroup(validationKnown, validationKnown.Rows.Select(r => r.Uid));
        AddGroup(testKnown, testKnown.Rows.Select(r => r.Uid));
        RequireFoldIn(validationTargets, validationKnown);
        RequireFoldIn(testTargets, testKnown);

        var all = new InteractionRows();
        foreach (var file in new[] { train, validationKnown, validationTargets, testKnown, testTargets })
            foreach (var (uid, sid, _) in file.Rows) all.Add(userOf[uid], sid);
        var interactions = all.Build(userIds.Count, itemIds.Length, out var duplicates);

        var trainRows = new InteractionRows();
        foreach (var (uid, sid, _) in train.Rows) trainRows.Add(userOf[uid], sid);
        var split = new Split
        {
            Protocol = "presplit",
            Train = trainRows.Build(trainUsers, itemIds.Length, out _),
            Validation = EvaluationSet("validation", validationKnown, validationTargets, userOf, itemIds.Length),
            Test = EvaluationSet("test", testKnown, testTargets, userOf, itemIds.Length),
            UserToDataset = Enumerable.Range(0, trainUsers).ToArray(),
            ItemToDataset = Enumerable.Range(0, itemIds.Length).ToArray(),
            HeldOutUsers = true,
        };

        var dataset = new Dataset
        {
            Source = folder,
            Name = ReadSummary.FolderName(folder),
            UserIds = userIds.ToArray(),
            ItemIds = itemIds,
            Interactions = interactions,
            PredefinedSplit = split,
        };
        ReadSummary.Log(logger, dataset, duplicates);
        return dataset;
    }

    /// <summary>The held-out users of one group, in ascending uid order: Known = *_tr rows, Targets = *_te rows.</summary>
    private static EvaluationSet EvaluationSet(string name, PairFile known, PairFile targets, Dictionary<int, int> userOf, int items)
    {
        var uids = known.Rows.Select(r => r.Uid).Distinct().Order().ToArray();
        var row = uids.Select((uid, i) => (uid, i)).ToDictionary(p => p.uid, p => p.i);
        var knownRows = new InteractionRows();
        foreach (var (uid, sid, _) in known.Rows) knownRows.Add(row[uid], sid);
        var targetRows = new InteractionRows();
        foreach (var (uid, sid, _) in targets.Rows) targetRows.Add(row[uid], sid);
        return new EvaluationSet
        {
            Name = name,
            Users = Enumerable.Repeat(-1, uids.Length).ToArray(),
            DatasetUsers = uids.Select(uid => userOf[uid]).ToArray(),
            Known = knownRows.Build(uids.Length, items, out _),
            Targets = targetRows.Build(uids.Length, items, out _),
        };
    }

    private static void RequireFoldIn(PairFile targets, PairFile known)
    {
        var foldIn = known.Rows.Select(r => r.Uid).ToHashSet();
        foreach (var (uid, _, line) in targets.Rows)
            if (!foldIn.Contains(uid))
                throw new DataFormatException(targets.Path, line, $"uid {uid} has no fold-in rows in {Path.GetFileName(known.Path)}", targets.LineText(line),
                    $"every user of {Path.GetFileName(targets.Path)} to have items in {Path.GetFileName(known.Path)}");
    }

    private static string[] ReadItems(string path)
    {
        var ids = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        using var lines = LineReader.Open(path, TextEncodingChoice.Utf8OrLatin1);
        while (lines.Next())
        {
            var id = lines.Text.Trim();
            if (!seen.Add(id)) throw lines.Error($"item id {id} listed twice", "each item id once");
            ids.Add(id);
        }
        return ids.ToArray();
    }

    private static PairFile ReadPairs(string path, int items)
    {
        var file = new PairFile(path);
        using var lines = LineReader.Open(path, TextEncodingChoice.Utf8);
        lines.ExpectHeader(Header);
        Span<Range> spans = stackalloc Range[2];
        while (lines.Next())
        {
            // Plain-ASCII lines are read from their bytes; any other line, or one whose numbers do not
            // parse or are out of range, is read as text below, which gives the same pair or the line's error.
            if (lines.TryAsciiFields(","u8, spans)
                && AsciiNumbers.TryInt(lines.Bytes[spans[0]], out int fastUid) && fastUid >= 0
                && AsciiNumbers.TryInt(lines.Bytes[spans[1]], out int fastSid) && fastSid >= 0 && fastSid < items)
            {
                file.Add(fastUid, fastSid, lines);
                continue;
            }
            var f = lines.Split(',', 2, "2 comma-separated fields: uid,sid");
            int uid = lines.Int(f[0], "uid", "a non-negative integer user id");
            if (uid < 0) throw lines.Error($"uid {uid}", "a non-negative integer user id");
            int sid = lines.Int(f[1], "sid", $"an item index from 0 to {items - 1} (a line of unique_sid.txt)");
            if (sid < 0 || sid >= items) throw lines.Error($"sid {sid} out of range", $"an item index from 0 to {items - 1} (unique_sid.txt has {items} items)");
            file.Add(uid, sid, lines);
        }
        return file;
    }

    /// <summary>One uid,sid file as read, with line numbers kept for errors found after reading.</summary>
    private sealed class PairFile(string path)
    {
        private readonly Dictionary<int, string> _text = new();
        private readonly Dictionary<int, int> _firstLineOfUid = new();

        public string Path { get; } = path;
        public List<(int Uid, int Sid, int Line)> Rows { get; } = new();

        /// <summary>The pair on <paramref name="lines"/>' current line; the line's text is kept only for a uid's first line.</summary>
        public void Add(int uid, int sid, LineReader lines)
        {
            int line = lines.Number;
            Rows.Add((uid, sid, line));
            if (_firstLineOfUid.TryAdd(uid, line)) _text[line] = lines.Text;
        }

        public string LineText(int line) => _text.GetValueOrDefault(line, "");

        public DataFormatException ErrorAt(int uid, string problem, string expected)
        {
            int line = _firstLineOfUid[uid];
            return new DataFormatException(Path, line, problem, LineText(line), expected);
        }
    }
}
