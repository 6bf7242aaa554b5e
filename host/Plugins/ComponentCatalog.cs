using Untangle.Contracts.Components;

namespace Untangle.Host.Plugins;

/// <summary>One exported part: its metadata, the plugin that exported it, and the (stateless) part itself.</summary>
public sealed record ComponentEntry(ComponentKind Kind, string Name, string Description, string Citation, string Plugin, object Part);

/// <summary>How loading one plugin folder went.</summary>
public sealed record PluginReport(string Name, string Path, bool Loaded, string? Error, IReadOnlyList<ComponentEntry> Components)
{
    /// <summary>Where the folder was named (<see cref="PluginFolder.Origin"/>): "built-in", "plugins.json", "--plugins-dir", "user folder".</summary>
    public string Origin { get; init; } = PluginFolder.PluginsJson;
}

/// <summary>
/// Every component the loaded plugins (and the host's built-ins) export, by kind and name. Lookups of
/// an unknown name fail with the list of valid names for that kind.
/// </summary>
public sealed class ComponentCatalog
{
    private readonly Dictionary<(ComponentKind, string), ComponentEntry> _entries = new();

    public ComponentCatalog(IReadOnlyList<PluginReport> plugins)
    {
        Plugins = plugins;
        var conflicts = new List<string>();
        foreach (var entry in plugins.Where(p => p.Loaded).SelectMany(p => p.Components))
        {
            if (_entries.TryGetValue((entry.Kind, entry.Name), out var first))
            {
                conflicts.Add($"{entry.Kind.Display()} '{entry.Name}' is exported by both plugin '{first.Plugin}' and plugin '{entry.Plugin}'");
                continue;
            }
            _entries[(entry.Kind, entry.Name)] = entry;
        }
        Conflicts = conflicts;
    }

    public IReadOnlyList<PluginReport> Plugins { get; }

    /// <summary>Duplicate (kind, name) exports; a run refuses to start while there are any.</summary>
    public IReadOnlyList<string> Conflicts { get; }

    public IEnumerable<ComponentEntry> All => _entries.Values.OrderBy(e => e.Kind).ThenBy(e => e.Name, StringComparer.Ordinal);

    public IEnumerable<ComponentEntry> OfKind(ComponentKind kind) => All.Where(e => e.Kind == kind);

    public IEnumerable<string> Names(ComponentKind kind) => OfKind(kind).Select(e => e.Name);

    public bool TryGet(ComponentKind kind, string name, out ComponentEntry entry) =>
        _entries.TryGetValue((kind, name), out entry!);

    /// <summary>The part named <paramref name="name"/>, or an error naming <paramref name="key"/> and listing the valid names.</summary>
    public T Get<T>(ComponentKind kind, string name, string key) where T : class
    {
        if (_entries.TryGetValue((kind, name), out var entry) && entry.Part is T part)
            return part;
        var valid = Names(kind).ToList();
        // A method is where a plugin from outside plugins.json is missed first (a resumed run, another machine).
        var hint = kind == ComponentKind.Method
            ? $"; a plugin outside plugins.json loads with --plugins-dir DIR or from the user plugins folder {PluginFolder.UserPluginsFolder()}"
            : "";
        throw new ConfigurationException(
            $"{key}: unknown {kind.Display()} '{name}'; valid: {(valid.Count == 0 ? "(none loaded)" : string.Join(", ", valid))}{hint}");
    }
}
