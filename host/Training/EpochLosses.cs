namespace Untangle.Host.Training;

/// <summary>
/// The current epoch's losses: a running sum and count per step and recorded term (their means go to
/// the epoch log), and each one's latest value (for the progress bar). The sums are checkpointed with
/// an interrupted epoch, so its mean after a resume is the uninterrupted run's.
/// </summary>
public sealed class EpochLosses
{
    private readonly Dictionary<string, LossSum> _sums = new(StringComparer.Ordinal);
    private readonly Dictionary<string, double> _last = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, double> Last => _last;

    public void Add(string name, double value)
    {
        _sums.TryGetValue(name, out var s);
        _sums[name] = new LossSum(s.Sum + value, s.Count + 1);
        _last[name] = value;
    }

    public IReadOnlyDictionary<string, double> Means() => _sums.ToDictionary(kv => kv.Key, kv => kv.Value.Sum / kv.Value.Count);

    public Dictionary<string, LossSum> Save() => new(_sums, StringComparer.Ordinal);

    public static EpochLosses Restore(IReadOnlyDictionary<string, LossSum> sums)
    {
        var losses = new EpochLosses();
        foreach (var (k, v) in sums) losses._sums[k] = v;
        return losses;
    }
}

/// <summary>A loss's running sum over the batches of an epoch so far.</summary>
public readonly record struct LossSum(double Sum, int Count);
