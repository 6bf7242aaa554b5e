namespace Untangle.Host.Plugins;

/// <summary>
/// A plugin folder to load and where it was named: plugins.json's "plugins" list, a --plugins-dir
/// option, or the user plugins folder. A plugin written outside this repository is loaded from the
/// last two without editing any plugins.json (issue: plugin authors outside the repository).
/// </summary>
public sealed record PluginFolder(string Path, string Origin)
{
    public const string BuiltIn = "built-in", PluginsJson = "plugins.json", PluginsDir = "--plugins-dir", UserFolder = "user folder";

    /// <summary>
    /// The user plugins folder: $UNTANGLE_HOME/plugins, else the local application data folder's
    /// untangle/plugins ($XDG_DATA_HOME or ~/.local/share on Linux, %LOCALAPPDATA% on Windows).
    /// </summary>
    public static string UserPluginsFolder()
    {
        var home = Environment.GetEnvironmentVariable("UNTANGLE_HOME") is { Length: > 0 } h
            ? h
            : System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify), "untangle");
        return System.IO.Path.Combine(home, "plugins");
    }

    /// <summary>
    /// Every folder to load: plugins.json's (relative to the host or the file, as before), each
    /// --plugins-dir, then the user plugins folder when it exists. A directory given with --plugins-dir
    /// is one plugin when it holds a plugin assembly itself (a build output such as
    /// MyMethod/bin/Release/net10.0), otherwise a folder of plugin folders, like the user folder
    /// (<paramref name="userFolder"/>; null: <see cref="UserPluginsFolder"/>).
    /// </summary>
    public static IReadOnlyList<PluginFolder> All(IEnumerable<string> pluginsJson, IEnumerable<string> pluginsDirs, string? userFolder = null)
    {
        var folders = pluginsJson.Select(p => new PluginFolder(p, PluginsJson)).ToList();
        foreach (var dir in pluginsDirs)
        {
            var full = System.IO.Path.GetFullPath(dir);
            if (!Directory.Exists(full))
                throw new ConfigurationException($"--plugins-dir {dir}: folder not found; expected a plugin's build output or a folder of plugin folders");
            folders.AddRange(Expand(full, PluginsDir));
        }
        var user = userFolder ?? UserPluginsFolder();
        if (Directory.Exists(user)) folders.AddRange(Expand(user, UserFolder));
        return folders;
    }

    private static IEnumerable<PluginFolder> Expand(string dir, string origin) =>
        HoldsPlugin(dir)
            ? [new PluginFolder(dir, origin)]
            : Directory.GetDirectories(dir).Order(StringComparer.Ordinal).Select(d => new PluginFolder(d, origin));

    private static bool HoldsPlugin(string dir) =>
        Directory.GetFiles(dir, "*.dll").Any(d => PluginLoader.IsManagedAssembly(d, out var contracts) && contracts);
}
