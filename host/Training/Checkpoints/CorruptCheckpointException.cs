namespace Untangle.Host.Training.Checkpoints;

/// <summary>
/// A checkpoint that fails its manifest check (missing, truncated, altered or unfinished files) or
/// does not belong to the run asked to resume from it. Its message names the folder and the file, and
/// the run stops instead of loading it.
/// </summary>
public sealed class CorruptCheckpointException(string message) : Exception(message);
