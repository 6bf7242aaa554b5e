using System.Runtime.CompilerServices;
using System.Composition;
using Microsoft.Extensions.Logging;
using Untangle.Contracts.Components;
using Untangle.Contracts.Data;
using Untangle.Contracts.Settings;
using Untangle.Host.Data.Parsing;

namespace Untangle.Host.Data.Readers;

/// <summary>
/// MovieLens 1M and 10M ("::"-separated .dat files): dataset.path is the ml-1m or ml-10M100K folder.
/// <list type="bullet">
/// <item>ratings.dat (required): "UserID::MovieID::Rating::Timestamp" → ratings as values, timestamps kept.</item>
/// <item>movies.dat: "MovieID::Title::Genres", genres '|'-separated → ItemCategories (the genres found,
/// in ordinal order; "(no genres listed)" is none), ItemFeatures["genre"], ItemText, Extras["item_titles"].</item>
/// <item>users.dat (1M only): "UserID::Gender::Age::Occupation::Zip-code" → gender (sensitive), age
/// bucket (the README's codes 1, 18, ... 56) and occupation (the README's 21 names for codes 0..20);
/// dataset.sensitive picks the sensitive one (gender, age, occupation or none; default gender).</item>
/// <item>tags.dat (10M only): "UserID::MovieID::Tag::Timestamp" → each movie's distinct tags appended to its text and in Extras["item_tags"].</item>
/// </list>
/// 1M is latin-1 and 10M UTF-8: each text file is read as UTF-8 when it is valid UTF-8, else as latin-1.
/// A title or tag may itself contain "::" (the other fields are cut from the ends). Side files are
/// optional (a warning says what is lost); when present, every rating must name a listed movie and
/// user. Index order: users and movies by first appearance in ratings.dat, then listed ones without
/// ratings in file order. Repeated (user, movie) ratings: the latest timestamp wins, then the later line.
/// </summary>
[ExportComponent(ComponentKind.DatasetReader, "movielens-dat",
    Description = "MovieLens 1M/10M folder (ratings.dat, movies.dat, users.dat, tags.dat; '::'-separated)",
    Citation = "F. Maxwell Harper and Joseph A. Konstan. The MovieLens Datasets: History and Context. ACM TiiS 5(4):19, 2015.")]
[Shared]
public sealed class MovieLensDatReader : IDatasetReader
{
    private const string Reader = "movielens-dat";
    private const string Separator = "::";

    public IReadOnlyList<SettingSpec> Options { get; } = [MovieLensTables.SensitiveOption];

    public Dataset Read(string? path, SettingValues options, ILogger logger)
    {
        var folder = DataLocation.Folder(path, Reader, "ratings.dat, movies.dat and optionally users.dat and tags.dat (MovieLens 1M/10M)");
        var ratingsPath = DataLocation.RequiredFile(folder, "ratings.dat", Reader,
            "the ratings, one 'UserID::MovieID::Rating::Timestamp' per line");

        MovieCatalog? movies = null;
        if (DataLocation.OptionalFile(folder, "movies.dat") is { } moviesPath)
        {
            movies = ReadMovies(moviesPath);
            if (DataLocation.OptionalFile(folder, "tags.dat") is { } tagsPath) ReadTags(tagsPath, movies);
        }
        else logger.LogWarning("{Folder}: no movies.dat, so no titles or genres", folder);

        MovieLensUsers? users = null;
        if (DataLocation.OptionalFile(folder, "users.dat") is { } usersPath) users = ReadUsers(usersPath);
        else logger.LogInformation("{Folder}: no users.dat (MovieLens 10M has none), so no user attributes", folder);

        var tables = new MovieLensTables(ReadSummary.FolderName(folder), ratingsPath, movies, users);
        using (var lines = LineReader.Open(ratingsPath, TextEncodingChoice.Utf8))
            tables.ReadRatings(lines, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (line, ids, rows) =>
            {
                if (tables.TryAddAsciiRating(line, ids, rows, "::"u8)) return;
                var f = line.Split(Separator, 4, "4 '::'-separated fields: UserID::MovieID::Rating::Timestamp");
                tables.AddRating(line, ids, rows, f[0], f[1], line.Float(f[2], "rating"), line.Long(f[3], "timestamp"));
            });
        return tables.Build(null, MovieLensVocabulary.Ml1mOccupations, logger, options.String(MovieLensTables.SensitiveOption.Name));
    }

    private static MovieCatalog ReadMovies(string path)
    {
        var movies = new MovieCatalog(path);
        using var lines = LineReader.Open(path, TextEncodingChoice.Utf8OrLatin1);
        while (lines.Next())
        {
            var f = lines.SplitAround(Separator, 3, 1, "3 '::'-separated fields: MovieID::Title::Genres");
            lines.Long(f[0], "movie id");
            if (!movies.Add(f[0], f[1], MovieLensVocabulary.SplitGenres(f[2])))
                throw lines.Error($"movie {f[0]} listed twice", "one line per movie");
        }
        return movies;
    }

    private static void ReadTags(string path, MovieCatalog movies)
    {
        using var lines = LineReader.Open(path, TextEncodingChoice.Utf8OrLatin1);
        while (lines.Next())
        {
            var f = lines.SplitAround(Separator, 4, 2, "4 '::'-separated fields: UserID::MovieID::Tag::Timestamp");
            if (!movies.Ids.TryGet(f[1], out var movie))
                throw lines.Error($"unknown movie id {f[1]}", $"a movie id listed in {movies.Path}");
            lines.Long(f[3], "timestamp");
            movies.AddTag(movie, f[2]);
        }
    }

    private static MovieLensUsers ReadUsers(string path)
    {
        var users = new MovieLensUsers(path);
        using var lines = LineReader.Open(path, TextEncodingChoice.Utf8OrLatin1);
        while (lines.Next())
        {
            var f = lines.Split(Separator, 5, "5 '::'-separated fields: UserID::Gender::Age::Occupation::Zip-code");
            if (f[1] is not ("M" or "F")) throw lines.Error($"gender '{f[1]}'", "M or F");
            var age = MovieLensVocabulary.AgeBucketOfCode(lines.Int(f[2], "age code"))
                ?? throw lines.Error($"age code '{f[2]}'", "one of " + string.Join(", ", MovieLensVocabulary.Ml1mAgeCodes));
            int occupation = lines.Int(f[3], "occupation code");
            if (occupation < 0 || occupation >= MovieLensVocabulary.Ml1mOccupations.Length)
                throw lines.Error($"occupation code '{f[3]}'", $"a code from 0 to {MovieLensVocabulary.Ml1mOccupations.Length - 1}");
            if (!users.Add(f[0], f[1], age, MovieLensVocabulary.Ml1mOccupations[occupation]))
                throw lines.Error($"user {f[0]} listed twice", "one line per user");
        }
        return users;
    }
}
