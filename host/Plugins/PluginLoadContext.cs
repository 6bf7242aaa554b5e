using System.Reflection;
using System.Runtime.Loader;

namespace Untangle.Host.Plugins;

/// <summary>
/// One plugin's assembly load context. Assemblies the host shares with every plugin (the contracts,
/// TorchSharp, MEF, the logging abstractions) resolve from the host's context, so contract and
/// Tensor types are the same everywhere and libtorch loads once; everything else the plugin brings
/// resolves from its own folder through its deps.json.
/// </summary>
internal sealed class PluginLoadContext(string mainAssemblyPath)
    : AssemblyLoadContext(Path.GetFileNameWithoutExtension(mainAssemblyPath), isCollectible: false)
{
    private readonly AssemblyDependencyResolver _resolver = new(mainAssemblyPath);

    /// <summary>Assembly names (or name prefixes ending in '.') that always come from the host.</summary>
    public static readonly string[] SharedAssemblies =
    [
        "Untangle.Contracts", "TorchSharp", "System.Composition.", "Microsoft.Extensions.Logging.Abstractions",
        "Microsoft.Extensions.DependencyInjection.Abstractions", "Microsoft.Extensions.Primitives",
    ];

    public static bool IsShared(string name) =>
        SharedAssemblies.Any(s => s.EndsWith('.') ? name.StartsWith(s, StringComparison.Ordinal) : name == s);

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        if (assemblyName.Name is { } name && IsShared(name))
            return null; // fall back to the host's (default) context
        var path = _resolver.ResolveAssemblyToPath(assemblyName);
        return path is null ? null : LoadFromAssemblyPath(path);
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
    {
        var path = _resolver.ResolveUnmanagedDllToPath(unmanagedDllName);
        return path is null ? IntPtr.Zero : LoadUnmanagedDllFromPath(path);
    }
}
