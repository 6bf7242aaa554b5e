namespace Untangle.Host.Evaluation.Metrics;

/// <summary>
/// The logarithmic position discount of (N)DCG (Järvelin and Kekäläinen, TOIS 2002): the item at
/// 1-based rank r counts 1 / log2(r + 1), so rank 1 counts 1, rank 2 counts 0.63, rank 3 counts 0.5.
/// </summary>
internal static class RankDiscount
{
    /// <summary>1 / log2(rank + 1) for a 1-based rank.</summary>
    public static double At(int rank) => 1.0 / Math.Log2(rank + 1);

    /// <summary>DCG of a binary-relevance list: the discounts of the ranks that hold a target.</summary>
    public static double Dcg(ReadOnlySpan<int> ranked, ReadOnlySpan<int> targets)
    {
        double dcg = 0;
        for (int i = 0; i < ranked.Length; i++)
            if (targets.BinarySearch(ranked[i]) >= 0) dcg += At(i + 1);
        return dcg;
    }

    /// <summary>The DCG of a list whose first <paramref name="hits"/> ranks are all targets: sum over r ≤ hits of 1 / log2(r + 1).</summary>
    public static double Ideal(int hits)
    {
        double idcg = 0;
        for (int r = 1; r <= hits; r++) idcg += At(r);
        return idcg;
    }
}
