using System.Diagnostics;
using static TorchSharp.torch;

namespace Untangle.Host.Perf;

/// <summary>
/// The machine's yardstick for every speed claim: GFLOP/s of a float32 1024 × 1024 × 1024 matrix
/// product through libtorch (2·n³ multiply-adds counted as FLOPs), best of several after a warm-up,
/// on the given number of libtorch threads. A dense method's achieved GFLOP/s is read against it.
/// </summary>
internal static class GemmYardstick
{
    public const int Size = 1024;

    public static double Measure(int threads, int repeats = 10)
    {
        int before = get_num_threads();
        set_num_threads(threads);
        try
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            using var generator = new TorchSharp.torch.Generator(1);
            var a = randn([Size, Size], generator: generator);
            var b = randn([Size, Size], generator: generator);
            using (a.mm(b)) { } // warm-up: libtorch's first product sets up its kernels and pool
            double best = double.MaxValue;
            for (int r = 0; r < repeats; r++)
            {
                var clock = Stopwatch.StartNew();
                using var c = a.mm(b);
                best = Math.Min(best, clock.Elapsed.TotalSeconds);
            }
            return 2.0 * Size * Size * Size / best / 1e9;
        }
        finally
        {
            set_num_threads(before);
        }
    }
}
