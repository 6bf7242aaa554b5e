using System.Runtime.CompilerServices;
using System.Composition;
using Microsoft.Extensions.Logging;
using Untangle.Contracts.Components;
using Untangle.Contracts.Data;
using Untangle.Contracts.Settings;
using Untangle.Host.Data.Parsing;

namespace Untangle.Host.Data.Readers;

/// <summary>
/// MovieLens 20M, 25M and latest (CSV with a header line): dataset.path is the ml-20m/ml-25m/ml-latest folder.
/// <list type="bullet">
/// <item>ratings.csv (required), header userId,movieId,rating,timestamp → ratings as values, timestamps kept.</item>
/// <item>movies.csv, header movieId,title,genres; titles may be quoted and hold commas and doubled
/// quotes; genres '|'-separated → ItemCategories (the genres found, in ordinal order; "(no genres
/// listed)" is none), ItemFeatures["genre"], ItemText, Extras["item_titles"].</item>
/// <item>tags.csv, header userId,movieId,tag,timestamp → each movie's distinct tags appended to its text and in Extras["item_tags"].</item>
/// </list>
/// A different header is an error naming the file and the expected header. These releases have no
/// user attributes. Text files are read as UTF-8 when valid, else latin-1. movies.csv is optional (a
/// warning says what is lost); when present, every rating must name a listed movie. Index order:
/// users and movies by first appearance in ratings.csv, then listed movies without ratings in file
/// order. Repeated (user, movie) ratings: the latest timestamp wins, then the later line.
/// </summary>
[ExportComponent(ComponentKind.DatasetReader, "movielens-csv",
    Description = "MovieLens 20M/25M/latest folder (ratings.csv, movies.csv, tags.csv with headers)",
    Citation = "F. Maxwell Harper and Joseph A. Konstan. The MovieLens Datasets: History and Context. ACM TiiS 5(4):19, 2015.")]
[Shared]
public sealed class MovieLensCsvReader : IDatasetReader
{
    private const string Reader = "movielens-csv";
    private const string RatingsHeader = "userId,movieId,rating,timestamp";
    private const string MoviesHeader = "movieId,title,genres";
    private const string TagsHeader = "userId,movieId,tag,timestamp";

    public IReadOnlyList<SettingSpec> Options { get; } = [];

    public Dataset Read(string? path, SettingValues options, ILogger logger)
    {
        var folder = DataLocation.Folder(path, Reader, "ratings.csv, movies.csv and optionally tags.csv (MovieLens 20M/25M/latest)");
        var ratingsPath = DataLocation.RequiredFile(folder, "ratings.csv", Reader,
            $"the ratings as CSV with the header {RatingsHeader}");

        MovieCatalog? movies = null;
        if (DataLocation.OptionalFile(folder, "movies.csv") is { } moviesPath)
        {
            movies = ReadMovies(moviesPath);
            if (DataLocation.OptionalFile(folder, "tags.csv") is { } tagsPath) ReadTags(tagsPath, movies);
        }
        else logger.LogWarning("{Folder}: no movies.csv, so no titles or genres", folder);

        var tables = new MovieLensTables(ReadSummary.FolderName(folder), ratingsPath, movies, null);
        using (var lines = LineReader.Open(ratingsPath, TextEncodingChoice.Utf8))
        {
            lines.ExpectHeader(RatingsHeader);
            tables.ReadRatings(lines, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (line, ids, rows) =>
            {
                if (tables.TryAddAsciiRating(line, ids, rows, ","u8, noQuotes: true)) return;
                var f = line.SplitCsv(4, $"4 comma-separated fields: {RatingsHeader}");
                tables.AddRating(line, ids, rows, f[0], f[1], line.Float(f[2], "rating"), line.Long(f[3], "timestamp"));
            });
        }
        return tables.Build(null, null, logger);
    }

    private static MovieCatalog ReadMovies(string path)
    {
        var movies = new MovieCatalog(path);
        using var lines = LineReader.Open(path, TextEncodingChoice.Utf8OrLatin1);
        lines.ExpectHeader(MoviesHeader);
        while (lines.Next())
        {
            var f = lines.SplitCsv(3, $"3 comma-separated fields: {MoviesHeader} (a title with commas in double quotes)");
            lines.Long(f[0], "movie id");
            if (!movies.Add(f[0], f[1], MovieLensVocabulary.SplitGenres(f[2])))
                throw lines.Error($"movie {f[0]} listed twice", "one line per movie");
        }
        return movies;
    }

    private static void ReadTags(string path, MovieCatalog movies)
    {
        using var lines = LineReader.Open(path, TextEncodingChoice.Utf8OrLatin1);
        lines.ExpectHeader(TagsHeader);
        while (lines.Next())
        {
            var f = lines.SplitCsv(4, $"4 comma-separated fields: {TagsHeader} (a tag with commas in double quotes)");
            if (!movies.Ids.TryGet(f[1], out var movie))
                throw lines.Error($"unknown movie id {f[1]}", $"a movie id listed in {movies.Path}");
            lines.Long(f[3], "timestamp");
            movies.AddTag(movie, f[2]);
        }
    }
}
