using Untangle.Host.Data.Parsing;

namespace Untangle.Host.Data.Readers;

/// <summary>A MovieLens users file as read (u.user, users.dat): gender, age bucket and occupation per user id, in file order.</summary>
public sealed class MovieLensUsers(string path)
{
    private readonly List<(string Gender, string Age, string Occupation)> _rows = new();

    /// <summary>The users file, for messages.</summary>
    public string Path { get; } = path;
    public IdIndex Ids { get; } = new();

    /// <summary>Adds a user; false when the id was already listed.</summary>
    public bool Add(string id, string gender, string ageBucket, string occupation)
    {
        if (Ids.Contains(id)) return false;
        Ids.IndexOf(id);
        _rows.Add((gender, ageBucket, occupation));
        return true;
    }

    public string Gender(int user) => _rows[user].Gender;
    public string Age(int user) => _rows[user].Age;
    public string Occupation(int user) => _rows[user].Occupation;
}
