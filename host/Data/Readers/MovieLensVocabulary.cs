namespace Untangle.Host.Data.Readers;

/// <summary>
/// The fixed vocabularies of the MovieLens READMEs (GroupLens): the 19 genres of 100K, the age
/// buckets and the 21 occupations of 1M. 100K stores raw ages; they are bucketed as 1M does so that
/// "age" means the same thing for every MovieLens reader.
/// </summary>
public static class MovieLensVocabulary
{
    /// <summary>ML-100K's genres in flag order (u.genre, when present, is read instead).</summary>
    public static readonly string[] Ml100kGenres =
    [
        "unknown", "Action", "Adventure", "Animation", "Children's", "Comedy", "Crime", "Documentary", "Drama",
        "Fantasy", "Film-Noir", "Horror", "Musical", "Mystery", "Romance", "Sci-Fi", "Thriller", "War", "Western",
    ];

    /// <summary>ML-1M's age buckets (README "Age is chosen from the following ranges"), youngest first.</summary>
    public static readonly string[] AgeBuckets = ["under 18", "18-24", "25-34", "35-44", "45-49", "50-55", "56+"];

    /// <summary>The codes ML-1M's users.dat writes for <see cref="AgeBuckets"/>, in the same order.</summary>
    public static readonly int[] Ml1mAgeCodes = [1, 18, 25, 35, 45, 50, 56];

    /// <summary>ML-1M's occupation codes 0..20 (README), in code order.</summary>
    public static readonly string[] Ml1mOccupations =
    [
        "other", "academic/educator", "artist", "clerical/admin", "college/grad student", "customer service",
        "doctor/health care", "executive/managerial", "farmer", "homemaker", "K-12 student", "lawyer", "programmer",
        "retired", "sales/marketing", "scientist", "self-employed", "technician/engineer", "tradesman/craftsman",
        "unemployed", "writer",
    ];

    /// <summary>What MovieLens 10M/20M/25M write for a movie without genres: no category, not a category.</summary>
    public const string NoGenres = "(no genres listed)";

    /// <summary>The ML-1M bucket of a raw age in years.</summary>
    public static string AgeBucket(int years) => years switch
    {
        < 18 => AgeBuckets[0],
        < 25 => AgeBuckets[1],
        < 35 => AgeBuckets[2],
        < 45 => AgeBuckets[3],
        < 50 => AgeBuckets[4],
        < 56 => AgeBuckets[5],
        _ => AgeBuckets[6],
    };

    /// <summary>The bucket an ML-1M age code stands for, or null for a code the README does not list.</summary>
    public static string? AgeBucketOfCode(int code)
    {
        int at = Array.IndexOf(Ml1mAgeCodes, code);
        return at < 0 ? null : AgeBuckets[at];
    }

    /// <summary>A movie's genre list from "A|B|C" (empty for <see cref="NoGenres"/>).</summary>
    public static string[] SplitGenres(string field) =>
        field.Length == 0 || field == NoGenres ? [] : field.Split('|');
}
