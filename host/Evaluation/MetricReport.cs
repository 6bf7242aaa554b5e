using Untangle.Contracts.Components;
using Untangle.Contracts.Evaluation;

namespace Untangle.Host.Evaluation;

/// <summary>Computes a list of metrics on one ranking, keyed "name@K" in the order asked for (the order tables and metrics.json print).</summary>
public static class MetricReport
{
    /// <param name="metrics">Each metric with its registered name (e.g. "ndcg") and cutoff K.</param>
    public static OrderedDictionary<string, MetricResult> Evaluate(RankingResult ranking, IEnumerable<(IMetric Metric, string Name, int K)> metrics)
    {
        ArgumentNullException.ThrowIfNull(ranking);
        var report = new OrderedDictionary<string, MetricResult>();
        foreach (var (metric, name, k) in metrics)
        {
            var key = new MetricName(name, k).ToString();
            if (k <= 0)
                throw new ArgumentOutOfRangeException(nameof(metrics), $"metric {key} on evaluation set '{ranking.Set.Name}': K must be positive");
            if (ranking.Depth > 0 && k > ranking.Depth)
                throw new ArgumentException(
                    $"metric {key} on evaluation set '{ranking.Set.Name}' needs the top {k} items, but the ranking kept only the top {ranking.Depth}; rank with a depth of at least {k}",
                    nameof(metrics));
            if (!report.TryAdd(key, metric.Compute(ranking, k)))
                throw new ArgumentException($"metric {key} is listed twice for evaluation set '{ranking.Set.Name}'", nameof(metrics));
        }
        return report;
    }
}
