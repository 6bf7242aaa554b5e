namespace Untangle.Contracts.Training;

/// <summary>
/// How many threads Untangle's own CPU kernels split their work over (the CSR graph product of
/// LightGCN's propagation), set by the engine from <c>train.threads</c> at the start of a run, as
/// libtorch's own pool is set from <c>train.torch_threads</c>.
/// </summary>
/// <remarks>
/// Two pools, because on the 2-core machine they measured differently: libtorch splitting the many
/// small element-wise ops of an embedding method over 2 threads made LightGCN slower (5,000 × 2,000
/// synthetic users and items: 1.8–3.0 s per epoch against 1.5–2.2 s with 1 thread), while the graph
/// product, one large loop, can use both cores.
/// </remarks>
public static class KernelThreads
{
    private static int _count = Environment.ProcessorCount;

    /// <summary>At least 1; the engine sets it from train.threads (0: the machine's cores).</summary>
    public static int Count
    {
        get => _count;
        set => _count = value > 0 ? value : Environment.ProcessorCount;
    }
}
