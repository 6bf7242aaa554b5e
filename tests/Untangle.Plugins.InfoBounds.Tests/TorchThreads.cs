using System.Runtime.CompilerServices;

namespace Untangle.Plugins.InfoBounds.Tests;

internal static class TorchThreads
{
    /// <summary>
    /// The tests run tiny tensors, where libtorch's intra-op threads only add hand-offs (and fight for
    /// the cores the other test assemblies use), so every test here runs single-threaded.
    /// </summary>
    [ModuleInitializer]
    internal static void SingleThreaded() => TorchSharp.torch.set_num_threads(1);
}
