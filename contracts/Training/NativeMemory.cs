using System.Runtime.InteropServices;

namespace Untangle.Contracts.Training;

/// <summary>
/// Keeps freed tensor memory in the process instead of handing it back to the operating system after
/// every tensor. libtorch allocates CPU tensors with glibc's malloc, which serves blocks over 32 MiB
/// (and, at first, over 128 KiB) with a fresh mmap and returns them with munmap on free; every new
/// block then costs one page fault per 4 KiB page on first touch. On this project's virtual machines a
/// page fault is expensive, and a training step that makes tens of edge-sized tensors (a routing
/// encoder's edges × d on MovieLens 100K is 40 MiB) spent most of its time faulting: DGCF's encoder
/// took 1.34 s forward and backward per step with glibc's defaults and 0.30-0.33 s with these settings
/// (the same inputs, libtorch 2.10, 2 threads). Setting M_MMAP_MAX = 0 (never mmap) and a high
/// M_TRIM_THRESHOLD (never shrink the heap) makes freed blocks reusable without new faults, as
/// PyTorch's CUDA caching allocator does on the GPU.
/// </summary>
/// <remarks>
/// The cost is that the process keeps its peak heap until it exits; a long-lived <c>serve</c> holds
/// the largest run's memory. Numerically nothing changes: it only decides where buffers lie, and
/// <see cref="NumericalReproducibility"/> removes MKL's dependence on that. Only glibc has mallopt;
/// elsewhere (macOS, Windows, musl) this does nothing and says so.
/// </remarks>
public static class NativeMemory
{
    private const int TrimThreshold = -1; // M_TRIM_THRESHOLD in malloc.h
    private const int MmapMax = -4;       // M_MMAP_MAX

    [DllImport("libc.so.6", EntryPoint = "mallopt")]
    private static extern int MallOpt(int parameter, int value);

    /// <summary>What the last <see cref="KeepFreedMemory"/> achieved, for the run log; null before it was called.</summary>
    public static string? Status { get; private set; }

    /// <summary>Sets glibc's allocator to reuse freed memory; returns (and keeps in <see cref="Status"/>) a line for the log.</summary>
    public static string KeepFreedMemory()
    {
        if (!OperatingSystem.IsLinux())
            return Status = "native allocator left at its defaults (mallopt is glibc's; this is not Linux)";
        try
        {
            bool ok = MallOpt(MmapMax, 0) == 1 & MallOpt(TrimThreshold, int.MaxValue) == 1;
            Status = ok
                ? "native allocator: freed tensor memory is kept for reuse (glibc M_MMAP_MAX=0, M_TRIM_THRESHOLD=2 GiB)"
                : "native allocator left at its defaults (glibc refused mallopt)";
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            Status = $"native allocator left at its defaults (no glibc mallopt: {e.GetType().Name})";
        }
        return Status;
    }
}
