using TorchSharp;
using Untangle.Contracts.Data;
using Untangle.Contracts.Evaluation;
using Untangle.Contracts.Training;
using static TorchSharp.torch;

namespace Untangle.Host.Evaluation;

/// <summary>
/// Full-ranking evaluation (ISSUE2 §5; spec "Metrics": full ranking over all items, known items
/// masked). Users are scored <see cref="UserBatchSize"/> at a time, so at most batch × items scores
/// exist at once; each batch runs under no_grad in its own dispose scope.
/// </summary>
/// <remarks>
/// Ranking rules, per user:
/// <list type="bullet">
/// <item>Known items (training or fold-in items, <see cref="EvaluationSet.Known"/>) are never ranked:
/// their scores are set to -inf and the list stops before them, so a user with fewer than K unknown
/// items gets a shorter list. A scorer's own -inf is first raised to the lowest finite value, so it
/// still ranks (last) and stays apart from masked items.</item>
/// <item>Ties are broken by item index, lower first, on every device and for every batch size:
/// torch.topk's order among equal scores is unspecified, so the evaluator re-sorts the top list by
/// (score descending, item ascending), and where items tied with the K-th score fall outside the
/// top K it takes the lowest-indexed ones (RecBole and the MultVAE code leave this to the sort).</item>
/// <item>NaN scores, or a score matrix that is not batch × items, fail with the set's name.</item>
/// </list>
/// </remarks>
public sealed class RankingEvaluator
{
    public RankingEvaluator(Device device, int userBatchSize, UsersWithoutTargets withoutTargets = UsersWithoutTargets.Skip)
    {
        if (userBatchSize <= 0)
            throw new ArgumentOutOfRangeException(nameof(userBatchSize), userBatchSize, "the evaluation user batch size must be positive");
        Device = device;
        UserBatchSize = userBatchSize;
        WithoutTargets = withoutTargets;
    }

    public Device Device { get; }
    public int UserBatchSize { get; }
    /// <summary>How users with no targets enter metric means (carried into <see cref="RankingResult.WithoutTargets"/>).</summary>
    public UsersWithoutTargets WithoutTargets { get; }

    /// <summary>
    /// Ranks every user of <paramref name="set"/> and keeps the top <paramref name="depth"/> items
    /// (the largest K any metric asks for; capped at the item count).
    /// </summary>
    public RankingResult Rank(IScorer scorer, EvaluationSet set, Dataset dataset, Split split, int depth)
    {
        ArgumentNullException.ThrowIfNull(scorer);
        ArgumentNullException.ThrowIfNull(set);
        if (depth <= 0)
            throw new ArgumentOutOfRangeException(nameof(depth), depth, "the ranking depth (largest K) must be positive");
        int items = split.ItemCount;
        if (set.Known.ColumnCount != items || set.Targets.ColumnCount != items)
            throw new ArgumentException(
                $"evaluation set '{set.Name}' has {set.Known.ColumnCount} known-item and {set.Targets.ColumnCount} target columns, but the split has {items} items");
        if (set.Known.Rows != set.Count || set.Targets.Rows != set.Count)
            throw new ArgumentException(
                $"evaluation set '{set.Name}' has {set.Count} users but {set.Known.Rows} known-item rows and {set.Targets.Rows} target rows");

        var top = new int[set.Count][];
        for (int start = 0; start < set.Count; start += UserBatchSize)
        {
            int count = Math.Min(UserBatchSize, set.Count - start);
            RankBatch(scorer, set, start, count, Math.Min(depth, items), top);
        }
        return new RankingResult
        {
            Set = set,
            TopItems = top,
            Dataset = dataset,
            Split = split,
            WithoutTargets = WithoutTargets,
            Depth = depth,
        };
    }

    private void RankBatch(IScorer scorer, EvaluationSet set, int start, int count, int k, int[][] top)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var rows = Enumerable.Range(start, count).ToArray();
        var known = set.Known.SelectRows(rows);
        var users = tensor(set.Users.AsSpan(start, count).ToArray().Select(u => (long)u).ToArray(), device: Device);
        var batch = new ScoringBatch { Users = users, Known = known, Device = Device };
        int items = known.ColumnCount;

        var scores = scorer.Score(batch);
        var where = $"evaluation set '{set.Name}', rows {start}..{start + count - 1}";
        if (scores.dim() != 2 || scores.shape[0] != count || scores.shape[1] != items)
            throw new InvalidOperationException(
                $"the scorer returned scores of shape [{string.Join(", ", scores.shape)}] for {where}; expected [{count}, {items}] (users × items)");
        if (!scores.is_floating_point()) scores = scores.to_type(ScalarType.Float32);
        scores = scores.to(Device);
        // any() reads the bool mask as it is; sum() would first widen it to an int64 batch × items copy.
        if (scores.isnan().any().item<bool>())
            throw new InvalidOperationException($"the scorer returned {scores.isnan().sum().item<long>()} NaN score(s) for {where}");

        // Raise a scorer's -inf to the lowest finite value (clamp returns a new tensor, so the
        // scorer's own tensor is left alone), then mask known items with -inf below every candidate.
        // Scalars are held in `using` locals: a temporary Scalar can be finalised while libtorch still
        // reads it (TorchSharp frees Scalars only in finalizers), which crashes runs at random.
        using var lowest = finfo(scores.dtype).min.ToScalar();
        using var minusInfinity = float.NegativeInfinity.ToScalar();
        var masked = scores.clamp_min(lowest);
        if (known.Count > 0)
        {
            var knownRows = new long[known.Count];
            for (int r = 0; r < known.Rows; r++)
                for (int e = known.RowStart[r]; e < known.RowStart[r + 1]; e++) knownRows[e] = r;
            var knownCols = known.Columns.Select(c => (long)c).ToArray();
            masked.index_put_(minusInfinity, tensor(knownRows, device: Device), tensor(knownCols, device: Device));
        }

        // One more than K: the (K+1)-th score equals the K-th exactly when items tied with the K-th
        // fall outside the top K (counting the scores ≥ the K-th instead would widen a batch × items
        // bool mask to int64, a copy as large as the scores, every batch).
        int taken = Math.Min(k + 1, items);
        var (values, indices) = masked.topk(taken, dim: 1, largest: true, sorted: true);
        var topValues = values.to_type(ScalarType.Float64).cpu().data<double>().ToArray();
        var topIndices = indices.cpu().data<long>().ToArray();

        for (int i = 0; i < count; i++)
        {
            var rowValues = topValues.AsSpan(i * taken, k);
            var rowIndices = topIndices.AsSpan(i * taken, k);
            int candidates = Math.Min(k, items - known.RowLength(i));
            double boundary = rowValues[k - 1];
            bool tiedBeyond = taken > k && topValues[i * taken + k] == boundary;
            // Items tied with the K-th score beyond the top K: the choice among them is torch's, so
            // take the lowest-indexed ones from the whole row. (A -inf boundary is a masked item,
            // cut off below anyway.)
            long[]? boundaryTies = tiedBeyond && !double.IsNegativeInfinity(boundary)
                ? BoundaryTies(masked[i], boundary)
                : null;
            top[start + i] = TieBrokenList(rowValues, rowIndices, boundary, boundaryTies, candidates);
        }
    }

    /// <summary>
    /// The list best first with ties by item index: the top-K entries above the boundary score
    /// sorted by (score descending, item ascending), then boundary-score items in ascending order
    /// (from <paramref name="boundaryTies"/> when given, else from the top K), cut at <paramref name="length"/>.
    /// </summary>
    private static int[] TieBrokenList(ReadOnlySpan<double> values, ReadOnlySpan<long> indices, double boundary, long[]? boundaryTies, int length)
    {
        var above = new List<(double Score, long Item)>(values.Length);
        var tied = new List<long>();
        for (int j = 0; j < values.Length; j++)
        {
            if (values[j] > boundary) above.Add((values[j], indices[j]));
            else if (boundaryTies is null) tied.Add(indices[j]);
        }
        above.Sort((a, b) => a.Score != b.Score ? b.Score.CompareTo(a.Score) : a.Item.CompareTo(b.Item));
        if (boundaryTies is not null) tied.AddRange(boundaryTies);
        else tied.Sort();

        var list = new int[Math.Max(0, length)];
        int n = 0;
        for (int j = 0; j < above.Count && n < list.Length; j++) list[n++] = (int)above[j].Item;
        for (int j = 0; j < tied.Count && n < list.Length; j++) list[n++] = (int)tied[j];
        return list;
    }

    private static long[] BoundaryTies(Tensor row, double boundary)
    {
        using var value = boundary.ToScalar();
        return row.eq(value).nonzero().flatten().cpu().data<long>().ToArray();
    }
}
