using Untangle.Host.Training;

namespace Untangle.Tests.Faults;

/// <summary>Progress that calls <paramref name="at"/> once the given batch of the given epoch has finished (to stop or crash a run there).</summary>
internal sealed class AtBatch(int epoch, int batch, Action at) : ITrainingProgress
{
    public void Started(int epochs, int batchesPerEpoch, int e, int done) { }
    public void BatchDone(int e, int done, IReadOnlyDictionary<string, double> lastLosses)
    {
        if (e == epoch && done == batch) at();
    }
    public void EpochDone(EpochRecord record, string validationMetric, bool best) { }
    public void Finished() { }
}
