namespace Untangle.Contracts.Analysis;

/// <summary>
/// Area under the ROC curve as the Mann–Whitney statistic: the probability that a random positive
/// scores above a random negative, ties counting one half (average ranks), as sklearn's roc_auc_score.
/// </summary>
public static class RocAuc
{
    /// <summary>Binary AUC of <paramref name="scores"/> for <paramref name="positive"/> labels; NaN when one class is absent.</summary>
    public static double Binary(IReadOnlyList<double> scores, IReadOnlyList<bool> positive)
    {
        if (scores.Count != positive.Count)
            throw new ArgumentException($"AUC needs one label per score; got {scores.Count} scores and {positive.Count} labels");
        int n = scores.Count;
        var ranks = Correlation.AverageRanks(scores);
        long positives = positive.Count(p => p);
        long negatives = n - positives;
        if (positives == 0 || negatives == 0) return double.NaN;
        double rankSum = 0;
        for (int i = 0; i < n; i++)
            if (positive[i]) rankSum += ranks[i];
        return (rankSum - positives * (positives + 1) / 2.0) / (positives * (double)negatives);
    }

    /// <summary>
    /// Binary AUC on class 1's probability for two classes; for more, the unweighted mean of the
    /// one-vs-rest AUCs of the classes present (sklearn's multi_class="ovr", average="macro").
    /// </summary>
    public static double OneVersusRest(double[][] probabilities, int[] labels, int classes)
    {
        if (classes == 2)
            return Binary(probabilities.Select(p => p[1]).ToArray(), labels.Select(l => l == 1).ToArray());
        var aucs = new List<double>();
        for (int c = 0; c < classes; c++)
        {
            double auc = Binary(probabilities.Select(p => p[c]).ToArray(), labels.Select(l => l == c).ToArray());
            if (!double.IsNaN(auc)) aucs.Add(auc);
        }
        return aucs.Count == 0 ? double.NaN : aucs.Average();
    }
}
