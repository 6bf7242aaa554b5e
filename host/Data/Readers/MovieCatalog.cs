using Untangle.Host.Data.Parsing;

namespace Untangle.Host.Data.Readers;

/// <summary>
/// A MovieLens movies file as read (u.item, movies.dat, movies.csv): title and genres per movie id
/// in file order, plus the distinct tags users gave each movie (tags.dat/tags.csv).
/// </summary>
public sealed class MovieCatalog(string path)
{
    private readonly List<string> _titles = new();
    private readonly List<string[]> _genres = new();
    private readonly List<List<string>?> _tags = new();
    private readonly List<HashSet<string>?> _seenTags = new();

    /// <summary>The movies file, for messages.</summary>
    public string Path { get; } = path;
    /// <summary>Movie ids in file order.</summary>
    public IdIndex Ids { get; } = new();

    /// <summary>Adds a movie; false when its id was already listed.</summary>
    public bool Add(string id, string title, string[] genres)
    {
        if (Ids.Contains(id)) return false;
        Ids.IndexOf(id);
        _titles.Add(title);
        _genres.Add(genres);
        _tags.Add(null);
        _seenTags.Add(null);
        return true;
    }

    /// <summary>Keeps a tag once per movie (compared ignoring case), in order of first use.</summary>
    public void AddTag(int movie, string tag)
    {
        tag = tag.Trim();
        if (tag.Length == 0) return;
        var seen = _seenTags[movie] ??= new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        if (seen.Add(tag)) (_tags[movie] ??= new List<string>()).Add(tag);
    }

    public string Title(int movie) => _titles[movie];
    public string[] Genres(int movie) => _genres[movie];
    public IReadOnlyList<string> Tags(int movie) => _tags[movie] ?? (IReadOnlyList<string>)[];

    /// <summary>The text a text encoder sees: "Title. Genres: A, B. Tags: x, y." (parts that are empty left out).</summary>
    public string Text(int movie)
    {
        var text = Title(movie);
        if (Genres(movie).Length > 0) text += ". Genres: " + string.Join(", ", Genres(movie));
        if (Tags(movie).Count > 0) text += ". Tags: " + string.Join(", ", Tags(movie));
        return text;
    }
}
