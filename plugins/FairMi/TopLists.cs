using TorchSharp;
using Untangle.Contracts.Data;
using static TorchSharp.torch;

namespace Untangle.Plugins.FairMi;

/// <summary>
/// Top-K lists straight from user and item tables, for what FairMI computes outside the engine's
/// evaluator: the validation NDCG that selects the plain model p (<see cref="PreferencePretraining"/>)
/// and the exposure of the "fairness" analysis. Items in <see cref="EvaluationSet.Known"/> are masked,
/// as the evaluator masks them; rows without targets or without a trained user get no list.
/// </summary>
public static class TopLists
{
    /// <summary>Per evaluation row, the top-<paramref name="k"/> items (null for rows without targets or a trained user).</summary>
    public static int[]?[] Of(Tensor users, Tensor items, EvaluationSet set, int k, int chunk = 1024)
    {
        var lists = new int[]?[set.Count];
        var rows = Enumerable.Range(0, set.Count).Where(r => set.Users[r] >= 0 && set.Targets.RowLength(r) > 0).ToArray();
        int depth = (int)Math.Min(k, items.shape[0]);
        using var noGrad = no_grad();
        using var minusInfinity = float.NegativeInfinity.ToScalar(); // held, see StableScalar
        for (int start = 0; start < rows.Length; start += chunk)
        {
            using var scope = NewDisposeScope();
            var part = rows.AsSpan(start, Math.Min(chunk, rows.Length - start)).ToArray();
            var index = tensor(part.Select(r => (long)set.Users[r]).ToArray(), device: users.device);
            var scores = users.index_select(0, index).mm(items.t()).to(float32).cpu();
            var maskRows = new List<long>();
            var maskColumns = new List<long>();
            for (int b = 0; b < part.Length; b++)
                foreach (var item in set.Known.Row(part[b])) { maskRows.Add(b); maskColumns.Add(item); }
            if (maskRows.Count > 0)
                scores.index_put_(minusInfinity, tensor(maskRows.ToArray()), tensor(maskColumns.ToArray()));
            var top = scores.topk(depth, 1).indexes.data<long>().ToArray();
            for (int b = 0; b < part.Length; b++)
                lists[part[b]] = top.AsSpan(b * depth, depth).ToArray().Select(i => (int)i).ToArray();
        }
        return lists;
    }

    /// <summary>Mean NDCG@K (standard IDCG over min(K, |T|)) over the rows that have a list.</summary>
    public static double MeanNdcg(int[]?[] lists, EvaluationSet set, int k)
    {
        double sum = 0;
        int counted = 0;
        for (int r = 0; r < lists.Length; r++)
        {
            if (lists[r] is not { } list) continue;
            var targets = set.Targets.Row(r);
            double dcg = 0, ideal = 0;
            for (int rank = 0; rank < Math.Min(k, list.Length); rank++)
                if (targets.BinarySearch(list[rank]) >= 0) dcg += 1 / Math.Log2(rank + 2);
            for (int rank = 0; rank < Math.Min(k, targets.Length); rank++) ideal += 1 / Math.Log2(rank + 2);
            sum += dcg / ideal;
            counted++;
        }
        return counted == 0 ? double.NaN : sum / counted;
    }

    /// <summary>Groups × items exposure counts of the lists (top-K items of every row with a list), by <paramref name="groupOfRow"/>.</summary>
    public static double[][] Exposure(int[]?[] lists, int[] groupOfRow, int groups, int items)
    {
        var counts = new double[groups][];
        for (int g = 0; g < groups; g++) counts[g] = new double[items];
        for (int r = 0; r < lists.Length; r++)
            if (lists[r] is { } list)
                foreach (var item in list) counts[groupOfRow[r]][item] += 1;
        return counts;
    }
}
