using Untangle.Contracts.Components;
using Untangle.Contracts.Data;

namespace Untangle.Contracts.Evaluation;

/// <summary>How users with no target items enter a metric's mean.</summary>
public enum UsersWithoutTargets
{
    /// <summary>Left out of the mean (the default; RecBole and MMRec do the same by filtering them).</summary>
    Skip,
    /// <summary>Counted with value 0, as the reference MultVAE/MacridVAE code does.</summary>
    Zero,
}

/// <summary>
/// The evaluator's output that metrics read: for every evaluated user, the top items after masking
/// known items (best first, at least the largest K asked for), and the targets.
/// </summary>
public sealed class RankingResult
{
    public required EvaluationSet Set { get; init; }
    /// <summary>Per user (aligned with <see cref="EvaluationSet.Users"/>), ranked split item indices.</summary>
    public required int[][] TopItems { get; init; }
    public required Dataset Dataset { get; init; }
    public required Split Split { get; init; }
    public UsersWithoutTargets WithoutTargets { get; init; } = UsersWithoutTargets.Skip;
    /// <summary>The K the lists were cut at (the largest K asked for): metrics with a larger K cannot be computed from them. 0 when not recorded.</summary>
    public int Depth { get; init; }
}

/// <summary>A metric's value: the mean over counted users, its standard error (std / sqrt(n)), n, and per-user values (null where not counted).</summary>
public sealed record MetricResult(double Mean, double StandardError, int Users, double?[] PerUser)
{
    /// <summary>Aggregates per-user values: mean, and the standard error with the population std, as the MacridVAE table's ±.</summary>
    public static MetricResult FromPerUser(double?[] perUser)
    {
        int n = 0;
        double sum = 0, sumSq = 0;
        foreach (var v in perUser)
        {
            if (v is not double x) continue;
            n++;
            sum += x;
            sumSq += x * x;
        }
        if (n == 0) return new MetricResult(double.NaN, double.NaN, 0, perUser);
        double mean = sum / n;
        double variance = Math.Max(0, sumSq / n - mean * mean);
        return new MetricResult(mean, Math.Sqrt(variance) / Math.Sqrt(n), n, perUser);
    }

    /// <summary>A single aggregate value (for metrics that are not a mean over users, such as JS-DP).</summary>
    public static MetricResult Aggregate(double value, int users) => new(value, double.NaN, users, []);
}

/// <summary>
/// Base for metrics that are a mean of a per-user value over users with targets. Users without
/// targets follow <see cref="RankingResult.WithoutTargets"/>.
/// </summary>
public abstract class PerUserRankingMetric : IMetric
{
    public virtual bool HigherIsBetter => true;

    /// <summary>The value for one user: <paramref name="ranked"/> best first (length ≥ k), targets sorted ascending and non-empty.</summary>
    protected abstract double Score(ReadOnlySpan<int> ranked, ReadOnlySpan<int> targets, int k);

    public MetricResult Compute(RankingResult ranking, int k)
    {
        if (k <= 0) throw new ArgumentOutOfRangeException(nameof(k), "K must be positive");
        var set = ranking.Set;
        var perUser = new double?[set.Count];
        for (int u = 0; u < set.Count; u++)
        {
            var targets = set.Targets.Row(u);
            if (targets.Length == 0)
            {
                perUser[u] = ranking.WithoutTargets == UsersWithoutTargets.Zero ? 0.0 : null;
                continue;
            }
            var ranked = ranking.TopItems[u];
            perUser[u] = Score(ranked.AsSpan(0, Math.Min(k, ranked.Length)), targets, k);
        }
        return MetricResult.FromPerUser(perUser);
    }

    /// <summary>Whether <paramref name="item"/> is among the sorted <paramref name="targets"/>.</summary>
    protected static bool IsTarget(ReadOnlySpan<int> targets, int item) => targets.BinarySearch(item) >= 0;
}
