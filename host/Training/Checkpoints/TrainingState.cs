using System.Text.Json;
using Untangle.Contracts.Evaluation;

namespace Untangle.Host.Training.Checkpoints;

/// <summary>
/// state.json in a snapshot: where training stands (the epoch and how many of its batches are done,
/// 0 meaning the epoch is complete), the epoch's loss sums so far, early stopping, every finished
/// epoch's record, the method's random state and its own checkpointed states. Tensors (modules,
/// optimizers, the torch RNG) are files beside it.
/// </summary>
public sealed record TrainingState
{
    public const string FileName = "state.json";
    public const int CurrentFormat = 1;

    public int Format { get; init; } = CurrentFormat;
    /// <summary>SHA-256 of the resolved configuration: a snapshot resumes only the run it was written by.</summary>
    public required string Config { get; init; }
    public required int Epoch { get; init; }
    public required int BatchesDone { get; init; }
    public required long GlobalBatch { get; init; }
    /// <summary>Training seconds already spent in an interrupted epoch.</summary>
    public required double EpochSeconds { get; init; }
    public required Dictionary<string, LossSum> Losses { get; init; }
    public required EarlyStoppingState Stopping { get; init; }
    /// <summary>No epoch is left to train (the last one ran, or early stopping fired).</summary>
    public required bool Finished { get; init; }
    public required bool StoppedEarly { get; init; }
    public required List<StoredEpoch> Records { get; init; }
    public List<string> Steps { get; init; } = [];
    public bool HasBest { get; init; }
    public ulong[]? Random { get; init; }
    public Dictionary<string, string> States { get; init; } = [];

    public void Write(string folder) =>
        File.WriteAllText(Path.Combine(folder, FileName), JsonSerializer.Serialize(this, CheckpointJson.Options));

    public static TrainingState Read(string folder)
    {
        var path = Path.Combine(folder, FileName);
        try
        {
            var state = JsonSerializer.Deserialize<TrainingState>(File.ReadAllText(path), CheckpointJson.Options)
                ?? throw new JsonException("empty");
            if (state.Format != CurrentFormat)
                throw new CorruptCheckpointException($"checkpoint {path}: format {state.Format}, this host reads {CurrentFormat}");
            return state;
        }
        catch (JsonException e)
        {
            throw new CorruptCheckpointException($"checkpoint {path}: unreadable ({e.Message.Split(" Path:")[0]})");
        }
    }
}

/// <summary>Early stopping's state in a checkpoint.</summary>
public sealed record EarlyStoppingState(double Best, int BestEpoch, int SinceBest, Dictionary<string, StoredMetric> BestValidation);

/// <summary>An epoch's record in a checkpoint (per-user values are not kept).</summary>
public sealed record StoredEpoch(int Epoch, double Seconds, Dictionary<string, double> Losses, Dictionary<string, StoredMetric>? Validation)
{
    public static StoredEpoch From(EpochRecord r) =>
        new(r.Epoch, r.Seconds, new Dictionary<string, double>(r.Losses), r.Validation is null ? null : StoredMetric.From(r.Validation));

    public EpochRecord ToRecord() => new(Epoch, Seconds, Losses, Validation is null ? null : StoredMetric.To(Validation));
}

/// <summary>A metric's mean, standard error and user count, as checkpoints keep it.</summary>
public sealed record StoredMetric(double Mean, double StandardError, int Users)
{
    public static Dictionary<string, StoredMetric> From(IReadOnlyDictionary<string, MetricResult> metrics) =>
        metrics.ToDictionary(kv => kv.Key, kv => new StoredMetric(kv.Value.Mean, kv.Value.StandardError, kv.Value.Users), StringComparer.Ordinal);

    public static IReadOnlyDictionary<string, MetricResult> To(IReadOnlyDictionary<string, StoredMetric> metrics) =>
        metrics.ToDictionary(kv => kv.Key, kv => new MetricResult(kv.Value.Mean, kv.Value.StandardError, kv.Value.Users, []), StringComparer.Ordinal);
}
