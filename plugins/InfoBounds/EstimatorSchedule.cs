using System.Globalization;
using Untangle.Contracts.Settings;
using Untangle.Contracts.Training;

namespace Untangle.Plugins.InfoBounds;

/// <summary>When an estimator's own network trains: k steps on each main batch, or n steps per epoch on full embeddings.</summary>
public enum EstimatorCadence { PerBatch, PerEpoch }

/// <summary>
/// An estimator's training schedule as one method setting, written "k/batch" or "n/epoch":
/// <list type="bullet">
///   <item>"5/batch" — 5 estimator steps after each main step on the same batch's (detached) inputs:
///   CLUB's Algorithm 1 and DCID (k = 5);</item>
///   <item>"50/epoch" — 50 steps at the start of each epoch on the full detached embeddings: FairMI
///   (its code fits after each epoch; before the next one is the same sequence, shifted by one fit).</item>
/// </list>
/// </summary>
public sealed record EstimatorSchedule(EstimatorCadence Cadence, int Steps)
{
    /// <summary>A method hyper-parameter holding a schedule, e.g. <c>EstimatorSchedule.Setting("mi_schedule", "5/batch")</c>.</summary>
    public static SettingSpec Setting(string name, string @default, string? doc = null)
    {
        Parse(name, @default); // a bad default is a programming error; fail at declaration
        return SettingSpec.String(name, @default,
            doc ?? "when the estimator's network trains: 'k/batch' (k steps after each main step on the batch) or 'n/epoch' (n steps per epoch on full embeddings)");
    }

    /// <summary>Reads the schedule a method declared with <see cref="Setting"/> from its hyper-parameters.</summary>
    public static EstimatorSchedule Read(SettingValues hyper, string name) => Parse($"hyper.{name}", hyper.String(name));

    /// <summary>Parses "k/batch" or "n/epoch" (k, n ≥ 1); a bad text fails naming <paramref name="key"/>.</summary>
    public static EstimatorSchedule Parse(string key, string text)
    {
        var parts = text.Trim().Split('/', StringSplitOptions.TrimEntries);
        if (parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int steps) && steps > 0)
        {
            if (parts[1].Equals("batch", StringComparison.OrdinalIgnoreCase)) return new(EstimatorCadence.PerBatch, steps);
            if (parts[1].Equals("epoch", StringComparison.OrdinalIgnoreCase)) return new(EstimatorCadence.PerEpoch, steps);
        }
        throw new ArgumentException($"{key}: '{text}' is not a schedule; expected 'k/batch' or 'n/epoch' with a positive integer, e.g. '5/batch' or '50/epoch'");
    }

    /// <summary>The engine's schedule: <see cref="Schedule.RepeatPerBatch"/>(k) or <see cref="Schedule.PerEpoch"/>(n).</summary>
    public Schedule ToSchedule() => Cadence == EstimatorCadence.PerBatch ? Schedule.RepeatPerBatch(Steps) : Schedule.PerEpoch(Steps);

    public override string ToString() => $"{Steps}/{(Cadence == EstimatorCadence.PerBatch ? "batch" : "epoch")}";
}
