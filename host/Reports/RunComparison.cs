namespace Untangle.Host.Reports;

/// <summary>
/// What a report compares: the runs in the order asked, the test metrics any of them has, the loss
/// and validation curves any of them recorded, and the configuration keys whose values differ.
/// </summary>
public sealed class RunComparison(IReadOnlyList<ReportedRun> runs)
{
    public IReadOnlyList<ReportedRun> Runs { get; } = runs;

    public IReadOnlyList<string> TestMetrics => Distinct(Runs.SelectMany(r => r.Metrics.Where(m => m.Split == "test").Select(m => m.Name)));

    public IReadOnlyList<string> Losses => Distinct(Runs.SelectMany(r => r.Epochs.SelectMany(e => e.Losses.Keys)));

    public IReadOnlyList<string> ValidationMetrics => Distinct(Runs.SelectMany(r => r.Epochs.SelectMany(e => e.Validation.Keys)));

    /// <summary>Keys set differently (or only) in some runs, with each run's value ("" where it has none).</summary>
    public IReadOnlyList<(string Key, IReadOnlyList<string> Values)> ConfigDifferences =>
        Distinct(Runs.SelectMany(r => r.Config.Keys)).Order(StringComparer.Ordinal)
            .Select(k => (k, (IReadOnlyList<string>)Runs.Select(r => r.Config.TryGetValue(k, out var v) ? v : "").ToList()))
            .Where(d => d.Item2.Distinct().Count() > 1)
            .ToList();

    private static List<string> Distinct(IEnumerable<string> names) => names.Distinct(StringComparer.Ordinal).ToList();
}
