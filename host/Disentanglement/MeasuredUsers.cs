using Untangle.Contracts.Data;
using Untangle.Contracts.Training;
using static TorchSharp.torch;

namespace Untangle.Host.Disentanglement;

/// <summary>
/// The users the disentanglement lab measures, with the items each is encoded from: every training
/// user (from its training items) and, where the split holds users out and the representation folds
/// in, every held-out validation and test user (from its fold-in items), at most
/// <paramref name="Limit"/> of them chosen at random (seeded). The lab fits its estimators on part of
/// these users and scores on the rest (<see cref="Untangle.Contracts.Analysis.FactorCodes"/>).
/// </summary>
internal sealed record MeasuredUsers(int[] TrainingIndex, int[] DatasetIndex, Interactions Known)
{
    public int Count => DatasetIndex.Length;

    public static MeasuredUsers Of(Split split, bool foldsIn, int limit, int seed)
    {
        var training = new List<int>();
        var dataset = new List<int>();
        var rows = new List<int[]>();
        for (int u = 0; u < split.UserCount; u++)
        {
            training.Add(u);
            dataset.Add(split.UserToDataset[u]);
            rows.Add(split.Train.Row(u).ToArray());
        }
        if (split.HeldOutUsers && foldsIn)
            foreach (var set in new[] { split.Validation, split.Test })
                for (int i = 0; i < set.Count; i++)
                {
                    if (set.Users[i] >= 0) continue;
                    training.Add(-1);
                    dataset.Add(set.DatasetUsers[i]);
                    rows.Add(set.Known.Row(i).ToArray());
                }
        var order = Enumerable.Range(0, dataset.Count).ToArray();
        if (order.Length > limit)
        {
            new Random(seed).Shuffle(order);
            order = [.. order[..limit].Order()];
        }
        var start = new int[order.Length + 1];
        for (int j = 0; j < order.Length; j++) start[j + 1] = start[j] + rows[order[j]].Length;
        var columns = order.SelectMany(j => rows[j]).ToArray();
        return new MeasuredUsers(
            order.Select(j => training[j]).ToArray(), order.Select(j => dataset[j]).ToArray(),
            new Interactions(order.Length, split.ItemCount, start, columns));
    }

    /// <summary>Count × dims codes from <paramref name="representation"/>, in batches of <paramref name="batchSize"/> users.</summary>
    public double[][] Encode(Representation representation, Device device, int batchSize)
    {
        var codes = new double[Count][];
        for (int from = 0; from < Count; from += batchSize)
        {
            using var scope = NewDisposeScope();
            var rows = Enumerable.Range(from, Math.Min(batchSize, Count - from)).ToArray();
            var batch = new ScoringBatch
            {
                Users = tensor(rows.Select(r => (long)TrainingIndex[r]).ToArray()).to(device),
                Known = Known.SelectRows(rows),
                Device = device,
            };
            var encoded = representation.EncodeUsers(batch).to_type(ScalarType.Float64).cpu();
            int dims = (int)encoded.shape[1];
            var values = encoded.data<double>().ToArray();
            for (int j = 0; j < rows.Length; j++) codes[from + j] = values.AsSpan(j * dims, dims).ToArray();
        }
        return codes;
    }
}
