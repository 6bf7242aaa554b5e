using Untangle.Host.Training;

namespace Untangle.Host.Runs;

/// <summary>
/// What a run reports as it trains, to whoever keeps a record of it: the results folder's epoch log
/// (<see cref="Untangle.Host.Results.RunResults"/>) and the experiment store (<see cref="StoredEpochs"/>)
/// are two observers of one kind, called in the order the run lists them.
/// </summary>
public interface IRunObserver
{
    /// <summary>An epoch ended (training seconds, losses, validation when it ran).</summary>
    void EpochEnded(EpochRecord record);

    /// <summary>A resumed run starts from a checkpoint that had finished these epochs: the record of the run is exactly these from now on.</summary>
    void Resumed(IReadOnlyList<EpochRecord> records);
}
