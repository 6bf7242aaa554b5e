namespace Untangle.Host.Training;

/// <summary>
/// Training stopped on request (Ctrl+C, SIGTERM, a service stop) after finishing its current step,
/// with a checkpoint written to resume from. Not a failure: the run is marked interrupted.
/// </summary>
public sealed class TrainingInterrupted(int epoch, int batchesDone, string? checkpoint)
    : OperationCanceledException(checkpoint is null
        ? $"interrupted before the first checkpoint (epoch {epoch}); a resume starts from the beginning"
        : $"interrupted at epoch {epoch} after {batchesDone} batches; checkpoint {checkpoint}")
{
    public int Epoch { get; } = epoch;
    public int BatchesDone { get; } = batchesDone;
    public string? Checkpoint { get; } = checkpoint;
}
