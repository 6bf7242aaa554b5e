using Untangle.Host.Store;
using Untangle.Host.Training;

namespace Untangle.Host.Runs;

/// <summary>The experiment store as a run's observer: each epoch appended to the run's row as it ends, replaced on resume.</summary>
public sealed class StoredEpochs(ExperimentStore store, string runId) : IRunObserver
{
    public void EpochEnded(EpochRecord record) => store.AppendEpoch(runId, record);
    public void Resumed(IReadOnlyList<EpochRecord> records) => store.ReplaceEpochs(runId, records);
}
