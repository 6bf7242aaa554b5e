using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Untangle.Contracts.Data;
using Untangle.Contracts.Settings;
using Untangle.Host.Data.Parsing;

namespace Untangle.Host.Data.Readers;

/// <summary>
/// What the three MovieLens readers share once their files are parsed: ratings checked against the
/// movies and users files, then one <see cref="Dataset"/>.
/// Index order: users and movies in order of first appearance in the ratings file, then users of the
/// users file and movies of the movies file that have no rating, in those files' order (they stay in
/// the data set: a protocol decides what to do with them).
/// Repeated (user, movie) ratings: the latest timestamp wins, then the line read last
/// (<see cref="InteractionsBuilder"/>).
/// </summary>
public sealed class MovieLensTables(string name, string ratingsPath, MovieCatalog? movies, MovieLensUsers? users)
{
    private readonly IdIndex _users = new(), _items = new();
    private InteractionRows? _rows;

    /// <summary>
    /// Reads the ratings file's lines after <paramref name="lines"/>' current one, in two parts at once where
    /// the file is large (<see cref="FileParts"/>); <paramref name="readLine"/> reads one line into the part it
    /// is given, with <see cref="TryAddAsciiRating"/> or <see cref="AddRating"/>.
    /// </summary>
    public void ReadRatings(LineReader lines, Action<LineReader, FileParts.Ids, InteractionRows> readLine) =>
        _rows = FileParts.ReadRest(lines, new FileParts.Ids(_users, _items), values: true, times: true, readLine);

    /// <summary>Adds the rating on <paramref name="lines"/>' current line; a movie or user the side files do not list is an error there.</summary>
    public void AddRating(LineReader lines, FileParts.Ids ids, InteractionRows rows, string user, string movie, float rating, long timestamp)
    {
        // MovieLens ids are integers; anything else is a broken line (kept as tokens all the same).
        lines.Long(user, "user id");
        lines.Long(movie, "movie id");
        if (movies is not null && !movies.Ids.Contains(movie))
            throw lines.Error($"unknown movie id {movie}", $"a movie id listed in {movies.Path}");
        if (users is not null && !users.Ids.Contains(user))
            throw lines.Error($"unknown user id {user}", $"a user id listed in {users.Path}");
        rows.Add(ids.Users.IndexOf(user), ids.Items.IndexOf(movie), rating, timestamp);
    }

    /// <summary>
    /// Reads the rating on <paramref name="lines"/>' current line from its bytes: user, movie, rating and
    /// timestamp cut at <paramref name="separator"/>. False, with nothing added, unless the line is plain
    /// ASCII (without quotes where <paramref name="noQuotes"/>) and every field is good; the caller then
    /// reads the line as text (<see cref="AddRating"/>), which adds the same rating or reports the line's error.
    /// </summary>
    [SkipLocalsInit] // the id buffers are written before they are read
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool TryAddAsciiRating(LineReader lines, FileParts.Ids ids, InteractionRows rows, ReadOnlySpan<byte> separator, bool noQuotes = false)
    {
        Span<Range> f = stackalloc Range[4];
        if (!lines.TryAsciiFields(separator, f, noQuotes)) return false;
        var bytes = lines.Bytes;
        // The ids pass as integers first, so 20 characters hold any of them.
        Span<char> user = stackalloc char[20], movie = stackalloc char[20];
        if (!AsciiNumbers.TryLong(bytes[f[0]], out _) || !AsciiNumbers.TryLong(bytes[f[1]], out _)
            || !AsciiNumbers.TryFloat(bytes[f[2]], out var rating) || !AsciiNumbers.TryLong(bytes[f[3]], out var timestamp)
            || !AsciiNumbers.TryChars(bytes[f[0]], user, out int userLength) || !AsciiNumbers.TryChars(bytes[f[1]], movie, out int movieLength))
            return false;
        var userId = user[..userLength];
        var movieId = movie[..movieLength];
        if (movies is not null && !movies.Ids.Contains(movieId)) return false;
        if (users is not null && !users.Ids.Contains(userId)) return false;
        rows.Add(ids.Users.IndexOf(userId), ids.Items.IndexOf(movieId), rating, timestamp);
        return true;
    }

    /// <param name="genreNames">Category names in a fixed order (ML-100K's flags), or null for the genres found, in ordinal order.</param>
    /// <param name="occupations">Occupation levels in a fixed order, or null for those found, in ordinal order.</param>
    /// <param name="sensitive">dataset.sensitive (<see cref="SensitiveOption"/>): the user attribute fairness metrics and methods use; null: gender.</param>
    public Dataset Build(IReadOnlyList<string>? genreNames, IReadOnlyList<string>? occupations, ILogger logger, string? sensitive = null)
    {
        if (movies is not null)
            for (int m = 0; m < movies.Ids.Count; m++) _items.IndexOf(movies.Ids.IdAt(m));
        if (users is not null)
            for (int u = 0; u < users.Ids.Count; u++) _users.IndexOf(users.Ids.IdAt(u));

        var rows = _rows ?? throw new InvalidOperationException("the ratings were not read (ReadRatings)");
        var interactions = rows.Build(_users.Count, _items.Count, out var duplicates);
        var itemIds = _items.Ids();
        var userIds = _users.Ids();

        ItemCategories? categories = null;
        string[]? text = null;
        var features = new Dictionary<string, FeatureMatrix>();
        var extras = new Dictionary<string, object>();
        if (movies is not null)
        {
            // Every rated movie was checked against the catalog, so each item has a catalog entry.
            var movieOf = itemIds.Select(id => movies.Ids.TryGet(id, out var m) ? m : -1).ToArray();
            categories = CategoryCoding.Encode(movieOf.Select(movies.Genres).ToArray(), genreNames);
            features["genre"] = CategoryCoding.MultiHot(categories);
            text = movieOf.Select(movies.Text).ToArray();
            extras["item_titles"] = movieOf.Select(movies.Title).ToArray();
            var tags = movieOf.Select(m => movies.Tags(m).ToArray()).ToArray();
            if (tags.Any(t => t.Length > 0)) extras[ItemTagsKey] = tags;
        }

        var attributes = new Dictionary<string, CategoricalAttribute>();
        if (users is not null)
        {
            var row = userIds.Select(id => users.Ids.TryGet(id, out var u) ? u : -1).ToArray();
            attributes["gender"] = AttributeCoding.Encode("gender", row.Select(users.Gender).ToArray());
            attributes["age"] = AttributeCoding.Encode("age", row.Select(users.Age).ToArray(), MovieLensVocabulary.AgeBuckets);
            attributes["occupation"] = AttributeCoding.Encode("occupation", row.Select(users.Occupation).ToArray(), occupations);
        }
        var sensitiveAttribute = Sensitive(sensitive ?? SensitiveDefault, attributes);

        var dataset = new Dataset
        {
            Name = name,
            Source = ratingsPath,
            UserIds = userIds,
            ItemIds = itemIds,
            Interactions = interactions,
            UserAttributes = attributes,
            SensitiveAttribute = sensitiveAttribute,
            ItemCategories = categories,
            ItemText = text,
            ItemFeatures = features,
            Extras = extras,
        };
        ReadSummary.Log(logger, dataset, duplicates);
        return dataset;
    }

    private const string SensitiveDefault = "gender";

    /// <summary>Extras key of each item's distinct tags (string[][], by dataset item), when the folder has a tags file.</summary>
    public const string ItemTagsKey = "item_tags";

    /// <summary>
    /// dataset.sensitive for the MovieLens readers: the user attribute that fairness metrics (js_dp, js_eo)
    /// and fairness methods (FairMI) treat as sensitive: gender (default; binary, FairMI's), age (the
    /// seven age buckets, multi-class), occupation, or none.
    /// </summary>
    public static SettingSpec SensitiveOption { get; } = SettingSpec.String("sensitive", SensitiveDefault,
        "Sensitive user attribute from the users file: gender (F/M), age (the age bucket, 7 classes), occupation, or none.");

    private string? Sensitive(string option, IReadOnlyDictionary<string, CategoricalAttribute> attributes)
    {
        if (option == "none") return null;
        if (attributes.ContainsKey(option)) return option;
        if (users is null)
        {
            // No users file: the default quietly means none (ML-latest, 10M); a named attribute cannot be had.
            if (option == SensitiveDefault) return null;
            throw new ArgumentException($"dataset.sensitive = '{option}', but data set '{name}' has no users file (u.user / users.dat) to take it from; expected none");
        }
        throw new ArgumentException($"dataset.sensitive = '{option}' is not a user attribute of data set '{name}'; expected one of {string.Join(", ", attributes.Keys)} (or none)");
    }
}
