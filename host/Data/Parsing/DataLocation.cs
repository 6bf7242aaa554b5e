namespace Untangle.Host.Data.Parsing;

/// <summary>
/// Finds a reader's folder and the files in it. A missing path, folder or required file fails with
/// one message naming the path and what the reader expected to find there; an optional file that is
/// absent is reported by the reader that wanted it.
/// </summary>
public static class DataLocation
{
    /// <summary>
    /// The folder a reader reads from. <paramref name="path"/> may also name a file inside it (say
    /// ml-100k/u.data), which is taken to mean its folder.
    /// </summary>
    public static string Folder(string? path, string reader, string expected)
    {
        if (string.IsNullOrWhiteSpace(path))
            throw new ArgumentException($"{reader}: dataset.path is not set; expected a folder with {expected}");
        if (File.Exists(path)) return System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!;
        if (!Directory.Exists(path))
            throw new DirectoryNotFoundException($"{path}: folder not found; the {reader} reader expected a folder with {expected}");
        return path;
    }

    /// <summary>The path of <paramref name="fileName"/> in <paramref name="folder"/>, which must exist.</summary>
    public static string RequiredFile(string folder, string fileName, string reader, string expected)
    {
        var path = System.IO.Path.Combine(folder, fileName);
        if (!File.Exists(path))
            throw new FileNotFoundException($"{path}: file not found; the {reader} reader expected {expected} there", path);
        return path;
    }

    /// <summary>
    /// The prologue of the readers of atomic-file layouts (RecBole, MMRec): the folder dataset.path
    /// names (or the folder of the .inter file it names), the base name (dataset.name, else that
    /// file's name, else the folder's), and the required NAME.inter in it.
    /// </summary>
    public static (string Folder, string Name, string Inter) InterFiles(string? path, string configuredName, string reader, string folderHolds, string interHolds)
    {
        var folder = Folder(path, reader, folderHolds);
        var name = configuredName.Length > 0 ? configuredName
            : File.Exists(path) && System.IO.Path.GetExtension(path) == ".inter" ? System.IO.Path.GetFileNameWithoutExtension(path)
            : Untangle.Host.Data.Readers.ReadSummary.FolderName(folder);
        return (folder, name, RequiredFile(folder, name + ".inter", reader, interHolds));
    }

    /// <summary>The path of <paramref name="fileName"/> in <paramref name="folder"/>, or null when there is no such file.</summary>
    public static string? OptionalFile(string folder, string fileName)
    {
        var path = System.IO.Path.Combine(folder, fileName);
        return File.Exists(path) ? path : null;
    }
}
