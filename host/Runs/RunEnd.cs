using Untangle.Host.Training;

namespace Untangle.Host.Runs;

/// <summary>How a recorded run ended: its store status, its outcome when finished, the failure or interruption otherwise.</summary>
public sealed record RunEnd(string Status, RunOutcome? Outcome, Exception? Failure, string? Message);
