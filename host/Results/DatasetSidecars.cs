using Untangle.Contracts.Data;
using Untangle.Host.Data.Synthetic;

namespace Untangle.Host.Results;

/// <summary>Files a data set keeps beside a run's results: the synthetic generator's parameters and true factors.</summary>
internal static class DatasetSidecars
{
    public static void Write(Dataset dataset, string folder)
    {
        if (dataset.Extras.TryGetValue("synthetic.truth", out var value) && value is SyntheticTruth truth)
            truth.WriteTo(folder);
    }
}
