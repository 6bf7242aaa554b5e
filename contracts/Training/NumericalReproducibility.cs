using System.Runtime.InteropServices;

namespace Untangle.Contracts.Training;

/// <summary>
/// Makes libtorch's CPU kernels give the same bits for the same inputs wherever the tensors happen to
/// lie in memory. The MKL inside libtorch picks code paths by the alignment of each buffer, so two runs
/// of one configuration (or a run and its resumed copy) could differ in the last bits of a GEMM (seen:
/// DCID and PAMD losses 6e-9 apart between identical runs). MKL's conditional numerical
/// reproducibility in AUTO mode (mkl_cbwr_set(MKL_CBWR_AUTO)) keeps the fastest instruction set of
/// the machine and removes that dependence. It must be set before MKL's first call, so the host sets
/// it at start-up and test assemblies in their module initialisers.
/// </summary>
public static class NumericalReproducibility
{
    private const int Auto = 2; // MKL_CBWR_AUTO in mkl_service.h

    [DllImport("libtorch_cpu", EntryPoint = "mkl_serv_cbwr_set")]
    private static extern int CbwrSet(int mode);

    /// <summary>What the last <see cref="Enable"/> achieved, for the run log; null before it was called.</summary>
    public static string? Status { get; private set; }

    /// <summary>Asks MKL for AUTO reproducibility; returns (and keeps in <see cref="Status"/>) a line for the log, saying why where it could not.</summary>
    public static string Enable()
    {
        try
        {
            int status = CbwrSet(Auto);
            Status = status == 0
                ? "MKL conditional numerical reproducibility: AUTO"
                : $"MKL conditional numerical reproducibility not set (status {status}: MKL was used before start-up finished)";
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            Status = $"MKL conditional numerical reproducibility not available in this libtorch ({e.GetType().Name})";
        }
        return Status;
    }
}
