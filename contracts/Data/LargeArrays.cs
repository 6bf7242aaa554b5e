using System.Runtime.InteropServices;

namespace Untangle.Contracts.Data;

/// <summary>
/// Arrays of tens to hundreds of megabytes (a loader's columns) allocated without zeroing and backed by
/// 2 MiB pages where Linux allows it. On this project's virtual machines the first touch of each 4 KiB
/// page costs a page fault of several microseconds; loading 20 million interactions touches about
/// 800 MB, and the faults were a third of the load time. madvise(MADV_HUGEPAGE) before the first touch
/// lets the kernel fault in 2 MiB at once where transparent huge pages are on ("madvise" or "always" in
/// /sys/kernel/mm/transparent_hugepage/enabled); elsewhere it is refused or ignored, and nothing changes
/// but the speed.
/// </summary>
public static class LargeArrays
{
    private const long HugePage = 2 << 20;
    private const int MadvHugePage = 14;

    /// <summary>A new array of <paramref name="length"/> elements whose contents are undefined until written.</summary>
    public static T[] Uninitialized<T>(int length) where T : unmanaged
    {
        var array = GC.AllocateUninitializedArray<T>(length);
        AdviseHugePages(array);
        return array;
    }

    private static void AdviseHugePages<T>(T[] array) where T : unmanaged
    {
        long bytes = (long)array.Length * Marshal.SizeOf<T>();
        if (bytes < 2 * HugePage || !OperatingSystem.IsLinux()) return;
        long start = Marshal.UnsafeAddrOfPinnedArrayElement(array, 0);
        long from = (start + HugePage - 1) & ~(HugePage - 1), to = (start + bytes) & ~(HugePage - 1);
        if (to <= from) return;
        try
        {
            _ = Madvise((nint)from, (nuint)(to - from), MadvHugePage); // advice only: a refusal changes nothing
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
        }
    }

    [DllImport("libc", EntryPoint = "madvise")]
    private static extern int Madvise(nint address, nuint length, int advice);
}
