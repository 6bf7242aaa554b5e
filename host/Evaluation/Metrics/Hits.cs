namespace Untangle.Host.Evaluation.Metrics;

/// <summary>Counting the targets in a ranked list: h = |L[:K] ∩ T| and the rank of the first hit.</summary>
internal static class Hits
{
    /// <summary>h, the number of listed items that are targets (targets sorted ascending).</summary>
    public static int Count(ReadOnlySpan<int> ranked, ReadOnlySpan<int> targets)
    {
        int hits = 0;
        foreach (var item in ranked)
            if (targets.BinarySearch(item) >= 0) hits++;
        return hits;
    }

    /// <summary>The 1-based rank of the first target in the list, or 0 when there is none.</summary>
    public static int FirstRank(ReadOnlySpan<int> ranked, ReadOnlySpan<int> targets)
    {
        for (int i = 0; i < ranked.Length; i++)
            if (targets.BinarySearch(ranked[i]) >= 0) return i + 1;
        return 0;
    }
}
