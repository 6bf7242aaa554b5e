using System.Composition.Hosting;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using Microsoft.Extensions.Logging;
using Untangle.Contracts.Components;

namespace Untangle.Host.Plugins;

/// <summary>
/// Loads plugin folders, each into its own <see cref="PluginLoadContext"/>, and composes each one's
/// MEF exports separately, so a broken plugin (not a .NET assembly, a missing dependency, a part
/// that throws when created) is reported with its path and reason while the others load.
/// The host's own assembly is composed as the built-in plugin "host" (readers, protocols, metrics).
/// </summary>
public sealed class PluginLoader(ILogger logger)
{
    public const string BuiltInName = "host";

    /// <summary>Loads the built-ins and every folder; relative folders resolve against <paramref name="roots"/> in order.</summary>
    public ComponentCatalog Load(IEnumerable<string> folders, IReadOnlyList<string> roots) =>
        Load(folders.Select(f => new PluginFolder(f, PluginFolder.PluginsJson)), roots);

    /// <summary>Loads the built-ins and every folder, each reported with where it was named.</summary>
    public ComponentCatalog Load(IEnumerable<PluginFolder> folders, IReadOnlyList<string> roots)
    {
        var reports = new List<PluginReport> { Compose(BuiltInName, typeof(PluginLoader).Assembly.Location, typeof(PluginLoader).Assembly) with { Origin = PluginFolder.BuiltIn } };
        foreach (var folder in folders)
            reports.Add(LoadFolder(folder.Path, roots) with { Origin = folder.Origin });
        foreach (var r in reports.Where(r => !r.Loaded))
            logger.LogError("Plugin {Plugin} at {Path} failed to load: {Reason}", r.Name, r.Path, r.Error);
        var catalog = new ComponentCatalog(reports);
        foreach (var conflict in catalog.Conflicts)
            logger.LogError("{Conflict}", conflict);
        return catalog;
    }

    private PluginReport LoadFolder(string folder, IReadOnlyList<string> roots)
    {
        var name = Path.GetFileName(folder.TrimEnd('/', '\\'));
        var path = ResolveFolder(folder, roots);
        if (path is null)
            return Failed(name, folder, $"folder not found (looked in {string.Join(", ", roots.Select(r => Path.Combine(r, folder)))})");

        var main = FindMainAssembly(path, name, out var error);
        if (main is null) return Failed(name, path, error!);
        // A build output (bin/Release/net10.0) is named after its assembly, not its folder.
        if (!MatchesFolder(main, name)) name = PluginName(main);
        try
        {
            var context = new PluginLoadContext(main);
            var assembly = context.LoadFromAssemblyPath(main);
            return Compose(name, main, assembly);
        }
        catch (Exception e) when (e is BadImageFormatException or FileLoadException or FileNotFoundException)
        {
            return Failed(name, main, e.Message);
        }
    }

    private static string? ResolveFolder(string folder, IReadOnlyList<string> roots)
    {
        if (Path.IsPathRooted(folder)) return Directory.Exists(folder) ? folder : null;
        return roots.Select(r => Path.GetFullPath(Path.Combine(r, folder))).FirstOrDefault(Directory.Exists);
    }

    /// <summary>
    /// The folder's plugin assembly: "*.&lt;Folder&gt;.dll" or "&lt;Folder&gt;.dll" (what the build writes), else
    /// the one .NET assembly in the folder that references Untangle.Contracts.
    /// </summary>
    internal static string? FindMainAssembly(string folder, string name, out string? error)
    {
        error = null;
        var dlls = Directory.GetFiles(folder, "*.dll");
        var named = dlls.Where(d => MatchesFolder(d, name)).ToList();
        if (named.Count == 1)
        {
            if (!IsManagedAssembly(named[0], out _))
            {
                error = $"{Path.GetFileName(named[0])} is not a .NET assembly";
                return null;
            }
            return named[0];
        }
        var candidates = dlls.Where(d => IsManagedAssembly(d, out var refsContracts) && refsContracts).ToList();
        if (candidates.Count == 1) return candidates[0];
        error = candidates.Count == 0
            ? $"no .NET assembly referencing Untangle.Contracts in the folder (expected {name}.dll or Untangle.Plugins.{name}.dll)"
            : $"several candidate plugin assemblies ({string.Join(", ", candidates.Select(Path.GetFileName))}); name one after the folder";
        return null;
    }

    private static bool MatchesFolder(string dll, string name)
    {
        var f = Path.GetFileNameWithoutExtension(dll);
        return f.Equals(name, StringComparison.OrdinalIgnoreCase) || f.EndsWith("." + name, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>"MyMethod" for MyMethod.dll or Untangle.Plugins.MyMethod.dll.</summary>
    internal static string PluginName(string dll)
    {
        var f = Path.GetFileNameWithoutExtension(dll);
        const string prefix = "Untangle.Plugins.";
        return f.StartsWith(prefix, StringComparison.Ordinal) ? f[prefix.Length..] : f;
    }

    /// <summary>Reads the file's metadata without loading it.</summary>
    internal static bool IsManagedAssembly(string path, out bool referencesContracts)
    {
        referencesContracts = false;
        try
        {
            using var stream = File.OpenRead(path);
            using var pe = new PEReader(stream);
            if (!pe.HasMetadata) return false;
            var md = pe.GetMetadataReader();
            if (!md.IsAssembly) return false;
            referencesContracts = md.AssemblyReferences
                .Select(h => md.GetString(md.GetAssemblyReference(h).Name))
                .Any(n => n == "Untangle.Contracts");
            return true;
        }
        catch (BadImageFormatException)
        {
            return false;
        }
    }

    private PluginReport Compose(string name, string path, Assembly assembly)
    {
        var components = new List<ComponentEntry>();
        try
        {
            using var container = new ContainerConfiguration().WithAssembly(assembly).CreateContainer();
            Collect<IEncoderFactory>(container, name, components);
            Collect<IMutualInformationEstimatorFactory>(container, name, components);
            Collect<IDiscriminatorFactory>(container, name, components);
            Collect<IGraphBuilderFactory>(container, name, components);
            Collect<IMethod>(container, name, components);
            Collect<IDatasetReader>(container, name, components);
            Collect<ISplitProtocol>(container, name, components);
            Collect<IMetric>(container, name, components);
            Collect<IBenchmark>(container, name, components);
            Collect<Untangle.Contracts.Analysis.IDisentanglementMetric>(container, name, components);
        }
        catch (Exception e)
        {
            var reason = e is ReflectionTypeLoadException rtle && rtle.LoaderExceptions.FirstOrDefault(x => x is not null) is { } first
                ? first.Message
                : Innermost(e).Message;
            return Failed(name, path, reason);
        }
        logger.LogDebug("Plugin {Plugin} ({Path}): {Count} components", name, path, components.Count);
        return new PluginReport(name, path, true, null, components);
    }

    // Parts are stateless factories, so creating each once here is cheap, and a part that throws when
    // created fails its plugin now rather than in the middle of a run.
    private static void Collect<T>(System.Composition.CompositionContext container, string plugin, List<ComponentEntry> into)
    {
        foreach (var export in container.GetExports<Lazy<T, ComponentMetadata>>())
        {
            var m = export.Metadata;
            object part;
            try
            {
                part = export.Value!;
            }
            catch (Exception e)
            {
                throw new InvalidOperationException($"creating {m.Kind.Display()} '{m.Name}' threw: {Innermost(e).Message}", e);
            }
            into.Add(new ComponentEntry(m.Kind, m.Name, m.Description, m.Citation, plugin, part));
        }
    }

    private static Exception Innermost(Exception e)
    {
        while (e.InnerException is not null && e is TargetInvocationException or System.Composition.Hosting.CompositionFailedException or TypeInitializationException)
            e = e.InnerException;
        return e;
    }

    private static PluginReport Failed(string name, string path, string error) => new(name, path, false, error, []);
}
