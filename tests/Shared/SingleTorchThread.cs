using System.Runtime.CompilerServices;

namespace Untangle.Testing;

/// <summary>
/// Test processes run libtorch on one intra-op thread. `dotnet test` runs the solution's test projects
/// in parallel, and with libtorch's default (one OpenMP thread per core) eight processes on two cores
/// spin-wait on each other: the suite took 11 minutes instead of under 2 beside one training run. Test
/// tensors are small, so one thread loses nothing. A test of train.threads sets its own value.
/// </summary>
internal static class SingleTorchThread
{
    [ModuleInitializer]
    internal static void Set()
    {
        // Before libtorch's first MKL call, or MKL refuses it: equal runs then give equal bits.
        Untangle.Contracts.Training.NumericalReproducibility.Enable();
        Untangle.Contracts.Training.NativeMemory.KeepFreedMemory();
        TorchSharp.torch.set_num_threads(1);
    }
}
