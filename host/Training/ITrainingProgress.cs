namespace Untangle.Host.Training;

/// <summary>
/// Where the trainer reports progress as it goes: a progress bar on a terminal. Without one the
/// trainer's log lines are the progress.
/// </summary>
public interface ITrainingProgress
{
    /// <summary>Training starts (or resumes) at <paramref name="epoch"/> with <paramref name="batchesDone"/> of its batches already done.</summary>
    void Started(int epochs, int batchesPerEpoch, int epoch, int batchesDone);
    void BatchDone(int epoch, int batchesDone, IReadOnlyDictionary<string, double> lastLosses);
    void EpochDone(EpochRecord record, string validationMetric, bool best);
    void Finished();
    /// <summary>A pretraining phase finished an epoch (<see cref="PhaseRunner"/>); nothing by default.</summary>
    void PhaseEpochDone(string phase, int epoch, int epochs, IReadOnlyDictionary<string, double> losses) { }
}
