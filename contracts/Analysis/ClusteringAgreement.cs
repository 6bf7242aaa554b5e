namespace Untangle.Contracts.Analysis;

/// <summary>
/// How well two labellings of the same items agree, whatever the label names: normalised mutual
/// information and the adjusted Rand index, from the contingency table. Both are 1 for identical
/// partitions (up to renaming) and about 0 for independent ones.
/// </summary>
/// <remarks>
/// NMI uses the arithmetic mean of the entropies, I(U; V) / ((H(U) + H(V)) / 2) (scikit-learn's
/// default, <c>normalized_mutual_info_score</c>); ARI is Hubert and Arabie's (1985) adjustment of the
/// Rand index for chance. The degenerate cases follow scikit-learn: both labellings a single
/// cluster → NMI = ARI = 1; ARI is 1 when both put every item in its own cluster.
/// </remarks>
public static class ClusteringAgreement
{
    public static double NormalizedMutualInformation(IReadOnlyList<int> a, IReadOnlyList<int> b)
    {
        var (table, rows, columns, n) = Contingency(a, b);
        if (n == 0 || (rows.Count == 1 && columns.Count == 1)) return 1.0;
        double mi = 0;
        foreach (var ((i, j), count) in table)
            mi += count / n * Math.Log(count * n / (rows[i] * columns[j]));
        double ha = Entropy(rows.Values, n), hb = Entropy(columns.Values, n);
        double normaliser = Math.Max((ha + hb) / 2, double.Epsilon);
        return Math.Max(0, mi) / normaliser;
    }

    public static double AdjustedRandIndex(IReadOnlyList<int> a, IReadOnlyList<int> b)
    {
        var (table, rows, columns, n) = Contingency(a, b);
        if (n == 0 || (rows.Count == 1 && columns.Count == 1) || (rows.Count == n && columns.Count == n)) return 1.0;
        double pairs = table.Values.Sum(Pairs);
        double rowPairs = rows.Values.Sum(Pairs), columnPairs = columns.Values.Sum(Pairs);
        double expected = rowPairs * columnPairs / Pairs(n);
        double maximum = (rowPairs + columnPairs) / 2;
        return maximum == expected ? 1.0 : (pairs - expected) / (maximum - expected);
    }

    private static double Pairs(double count) => count * (count - 1) / 2;

    private static double Entropy(IEnumerable<double> counts, double n) =>
        -counts.Where(c => c > 0).Sum(c => c / n * Math.Log(c / n));

    private static (Dictionary<(int, int), double> Table, Dictionary<int, double> Rows, Dictionary<int, double> Columns, double N)
        Contingency(IReadOnlyList<int> a, IReadOnlyList<int> b)
    {
        if (a.Count != b.Count)
            throw new ArgumentException($"the two labellings have {a.Count} and {b.Count} items; they must label the same items");
        var table = new Dictionary<(int, int), double>();
        var rows = new Dictionary<int, double>();
        var columns = new Dictionary<int, double>();
        for (int i = 0; i < a.Count; i++)
        {
            table[(a[i], b[i])] = table.GetValueOrDefault((a[i], b[i])) + 1;
            rows[a[i]] = rows.GetValueOrDefault(a[i]) + 1;
            columns[b[i]] = columns.GetValueOrDefault(b[i]) + 1;
        }
        return (table, rows, columns, a.Count);
    }
}
