namespace Untangle.Host.Store;

/// <summary>
/// One row of the store's runs table. <see cref="Config"/> is the resolved configuration as a JSON
/// object of dotted keys (config.json's content); <see cref="Source"/> says who started the run
/// ("run" from the command line, "queue:FILE" from serve's queue).
/// </summary>
public sealed record StoredRun
{
    public required string Id { get; init; }
    public required string Experiment { get; init; }
    public required string Status { get; init; }
    public required string Folder { get; init; }
    public required string Source { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public string? Method { get; init; }
    public int? Seed { get; init; }
    public string? Config { get; init; }
    public string? SourceRevision { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? EndedAt { get; init; }
    public string? Error { get; init; }
    public int? BestEpoch { get; init; }
    public string? ValidationMetric { get; init; }
    /// <summary>How many times the run was resumed from a checkpoint.</summary>
    public int Resumes { get; init; }
    /// <summary>The machine that trains the run, or trained it last (Environment.MachineName); null for runs stored before schema version 2.</summary>
    public string? Host { get; init; }
}

/// <summary>A stored epoch: training seconds, mean losses, and validation metric means (when it validated).</summary>
public sealed record StoredEpochRow(int Epoch, double Seconds, IReadOnlyDictionary<string, double> Losses, IReadOnlyDictionary<string, double> Validation);

/// <summary>A stored final metric of a finished run (split: validation or test).</summary>
public sealed record StoredMetricRow(string Split, string Name, double Mean, double StandardError, int Users);
