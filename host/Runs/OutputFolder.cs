namespace Untangle.Host.Runs;

/// <summary>
/// A folder the user named for results (--out, --html), checked before anything is written: .NET's
/// own messages ("The file '…' already exists.", "Could not find a part of the path") name neither
/// the option nor what was expected.
/// </summary>
public static class OutputFolder
{
    /// <summary>
    /// Creates <paramref name="folder"/> (and its parents) unless it exists; fails with one line naming
    /// <paramref name="option"/> when it, or a folder on its path, is a file, or cannot be created.
    /// Returns whether it was created.
    /// </summary>
    public static bool Ensure(string folder, string option, string what)
    {
        folder = Path.GetFullPath(folder);
        if (File.Exists(folder))
            throw new ConfigurationException($"{option} {folder}: is a file; expected a folder for {what} (a new or empty one)");
        if (Directory.Exists(folder)) return false;
        for (var up = Path.GetDirectoryName(folder); up is not null; up = Path.GetDirectoryName(up))
        {
            if (Directory.Exists(up)) break;
            if (File.Exists(up))
                throw new ConfigurationException($"{option} {folder}: {up} is a file, not a folder; expected a folder path for {what}");
        }
        try
        {
            Directory.CreateDirectory(folder);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigurationException($"{option} {folder}: the folder cannot be created ({e.Message}); expected a folder you can write to for {what}", e);
        }
    }
}
