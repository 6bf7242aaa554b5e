using System.Runtime.CompilerServices;
using System.Composition;
using Microsoft.Extensions.Logging;
using Untangle.Contracts.Components;
using Untangle.Contracts.Data;
using Untangle.Contracts.Settings;
using Untangle.Host.Data.Parsing;

namespace Untangle.Host.Data.Readers;

/// <summary>
/// MovieLens 100K (GroupLens, April 1998): dataset.path is the ml-100k folder.
/// <list type="bullet">
/// <item>u.data (required): "user \t item \t rating \t timestamp" → ratings as values, timestamps kept.</item>
/// <item>u.item (latin-1): "id|title|release date|video release date|IMDb URL|19 genre flags" →
/// ItemCategories and ItemFeatures["genre"] from the flags (names from u.genre when present, else the
/// README's 19), ItemText "Title. Genres: A, B", Extras["item_titles"].</item>
/// <item>u.user: "id|age|gender|occupation|zip" → attributes gender (F/M, the sensitive attribute),
/// age (bucketed as ML-1M: under 18, 18-24, 25-34, 35-44, 45-49, 50-55, 56+) and occupation (levels
/// from u.occupation when present). dataset.sensitive picks the sensitive one (gender, age, occupation
/// or none; default gender).</item>
/// </list>
/// u.item and u.user are optional (a warning says what is lost); when present, every rating must
/// name a listed movie and user. Index order: users and items by first appearance in u.data, then
/// listed ones without ratings in file order. Repeated (user, item) ratings: the latest timestamp wins,
/// then the later line (the real file has none).
/// </summary>
[ExportComponent(ComponentKind.DatasetReader, "movielens-100k",
    Description = "MovieLens 100K folder (u.data, u.item, u.user): ratings, genres, titles, gender/age/occupation",
    Citation = "F. Maxwell Harper and Joseph A. Konstan. The MovieLens Datasets: History and Context. ACM TiiS 5(4):19, 2015.")]
[Shared]
public sealed class MovieLens100KReader : IDatasetReader
{
    private const string Reader = "movielens-100k";
    private const string RatingsLayout = "4 tab-separated fields: user id, item id, rating, timestamp";
    private const string ItemLayout = "24 '|'-separated fields: id|title|release date|video release date|IMDb URL|19 genre flags";
    private const string UserLayout = "5 '|'-separated fields: id|age|gender|occupation|zip code";

    public IReadOnlyList<SettingSpec> Options { get; } = [Features.ModalityFiles.Option, MovieLensTables.SensitiveOption];

    public Dataset Read(string? path, SettingValues options, ILogger logger)
    {
        var folder = DataLocation.Folder(path, Reader, "u.data, u.item and u.user (MovieLens 100K)");
        var ratingsPath = DataLocation.RequiredFile(folder, "u.data", Reader,
            "the ratings, one 'user<TAB>item<TAB>rating<TAB>timestamp' per line");

        var genrePath = DataLocation.OptionalFile(folder, "u.genre");
        var genres = genrePath is null ? MovieLensVocabulary.Ml100kGenres : ReadGenres(genrePath);

        MovieCatalog? movies = null;
        if (DataLocation.OptionalFile(folder, "u.item") is { } itemPath) movies = ReadItems(itemPath, genres);
        else logger.LogWarning("{Folder}: no u.item, so no titles or genres", folder);

        MovieLensUsers? users = null;
        string[]? occupations = null;
        if (DataLocation.OptionalFile(folder, "u.user") is { } userPath)
        {
            if (DataLocation.OptionalFile(folder, "u.occupation") is { } occupationPath) occupations = ReadOccupations(occupationPath);
            users = ReadUsers(userPath, occupations);
        }
        else logger.LogWarning("{Folder}: no u.user, so no user attributes", folder);

        var tables = new MovieLensTables(ReadSummary.FolderName(folder), ratingsPath, movies, users);
        using (var lines = LineReader.Open(ratingsPath, TextEncodingChoice.Utf8))
            tables.ReadRatings(lines, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (line, ids, rows) =>
            {
                if (tables.TryAddAsciiRating(line, ids, rows, "\t"u8)) return;
                var f = line.Split('\t', 4, RatingsLayout);
                tables.AddRating(line, ids, rows, f[0], f[1], line.Float(f[2], "rating"), line.Long(f[3], "timestamp"));
            });

        return Features.ModalityFiles.Attach(tables.Build(genres, occupations, logger, options.String(MovieLensTables.SensitiveOption.Name)), options, logger);
    }

    /// <summary>u.genre: "name|index" with indices 0..18 in order.</summary>
    private static string[] ReadGenres(string path)
    {
        var names = new List<string>();
        using var lines = LineReader.Open(path, TextEncodingChoice.Latin1);
        while (lines.Next())
        {
            var f = lines.Split('|', 2, "2 '|'-separated fields: genre name|index");
            if (lines.Int(f[1], "genre index") != names.Count)
                throw lines.Error($"genre index {f[1]}", $"index {names.Count} (genres listed in flag order from 0)");
            names.Add(f[0]);
        }
        if (names.Count != MovieLensVocabulary.Ml100kGenres.Length)
            throw new DataFormatException(path, lines.Number, $"{names.Count} genres", lines.Text, $"{MovieLensVocabulary.Ml100kGenres.Length} genres, one per u.item flag");
        return names.ToArray();
    }

    private static MovieCatalog ReadItems(string path, string[] genres)
    {
        var movies = new MovieCatalog(path);
        using var lines = LineReader.Open(path, TextEncodingChoice.Latin1);
        while (lines.Next())
        {
            var f = lines.Split('|', 5 + genres.Length, ItemLayout);
            var has = new List<string>();
            for (int g = 0; g < genres.Length; g++)
            {
                var flag = f[5 + g];
                if (flag == "1") has.Add(genres[g]);
                else if (flag != "0") throw lines.Error($"genre flag {g + 1} ({genres[g]}) is '{flag}'", "0 or 1");
            }
            if (!movies.Add(f[0], f[1], has.ToArray()))
                throw lines.Error($"item {f[0]} listed twice", "one line per item");
        }
        return movies;
    }

    private static MovieLensUsers ReadUsers(string path, IReadOnlyList<string>? occupations)
    {
        var users = new MovieLensUsers(path);
        using var lines = LineReader.Open(path, TextEncodingChoice.Latin1);
        while (lines.Next())
        {
            var f = lines.Split('|', 5, UserLayout);
            int age = lines.Int(f[1], "age", "an age in years");
            if (f[2] is not ("M" or "F")) throw lines.Error($"gender '{f[2]}'", "M or F");
            if (occupations is not null && !occupations.Contains(f[3]))
                throw lines.Error($"occupation '{f[3]}' not in u.occupation", "one of " + string.Join(", ", occupations));
            if (!users.Add(f[0], f[2], MovieLensVocabulary.AgeBucket(age), f[3]))
                throw lines.Error($"user {f[0]} listed twice", "one line per user");
        }
        return users;
    }

    /// <summary>u.occupation: one occupation name per line, the level order used for the attribute.</summary>
    private static string[] ReadOccupations(string path)
    {
        var names = new List<string>();
        using var lines = LineReader.Open(path, TextEncodingChoice.Latin1);
        while (lines.Next()) names.Add(lines.Text.Trim());
        return names.Distinct(StringComparer.Ordinal).ToArray();
    }
}
