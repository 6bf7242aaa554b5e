using System.Collections.Concurrent;
using Untangle.Contracts.Components;
using Untangle.Contracts.Data;
using Untangle.Contracts.Training;
using static TorchSharp.torch;

namespace Untangle.Host.Training;

/// <summary>
/// Makes one epoch's batches for a batch kind. Each epoch draws from its own generator seeded by
/// (run seed, epoch) (<see cref="EpochSeeds"/>), so the same seed gives the same batches, and a run
/// resumed at epoch e, batch b gets the batches the uninterrupted run got there.
/// </summary>
public sealed class TrainingBatches(BatchKind kind, Interactions train, int batchSize, int seed, Device device)
{
    private readonly int[] _usersWithItems = Enumerable.Range(0, train.Rows).Where(u => train.RowLength(u) > 0).ToArray();

    /// <summary>
    /// At most this many batches per epoch, the first ones of the epoch's order (train.limit_batches;
    /// 0: all): speed probes and smoke runs at sizes where a whole epoch takes too long.
    /// </summary>
    public int Limit { get; init; }

    /// <summary>Batches in an epoch: all of them, or <see cref="Limit"/> when smaller.</summary>
    public int PerEpoch => Limit > 0 ? Math.Min(Limit, Full) : Full;

    /// <summary>Batches in a whole epoch, whatever <see cref="Limit"/> says.</summary>
    public int Full => kind switch
    {
        BatchKind.UserRows => (int)Math.Ceiling(_usersWithItems.Length / (double)batchSize),
        BatchKind.Triples => (int)Math.Ceiling(train.Count / (double)batchSize),
        _ => 1,
    };

    /// <summary>
    /// The epoch's batches from batch <paramref name="skip"/> on (the skipped ones are drawn but not
    /// built, so the draws after them match); each is created inside the caller's dispose scope when
    /// enumerated. <paramref name="globalStart"/> is the run-wide index of the epoch's first batch.
    /// </summary>
    public IEnumerable<TrainingBatch> Epoch(int epoch, long globalStart, int skip = 0)
    {
        var random = new Random(EpochSeeds.Sampling(seed, epoch));
        switch (kind)
        {
            case BatchKind.UserRows:
            {
                var users = (int[])_usersWithItems.Clone();
                random.Shuffle(users);
                for (int b = skip; b < PerEpoch; b++)
                {
                    var chunk = users.AsSpan(b * batchSize, Math.Min(batchSize, users.Length - b * batchSize)).ToArray();
                    yield return new TrainingBatch
                    {
                        Kind = kind, Epoch = epoch, Index = b, GlobalBatch = globalStart + b, Device = device,
                        Users = tensor(chunk.Select(u => (long)u).ToArray()).to(device),
                        Rows = train.SelectRows(chunk),
                    };
                }
                break;
            }
            case BatchKind.Triples:
            {
                // The triples are drawn on another thread, a batch or two ahead of training (the draws are
                // the same as drawn in line: one generator, one order); only the tensors are made here.
                foreach (var (b, users, positives, negatives) in Prefetched(Triples(random, skip), ahead: 2))
                {
                    yield return new TrainingBatch
                    {
                        Kind = kind, Epoch = epoch, Index = b, GlobalBatch = globalStart + b, Device = device,
                        Users = tensor(users).to(device), Positives = tensor(positives).to(device), Negatives = tensor(negatives).to(device),
                    };
                }
                break;
            }
            default:
                if (skip == 0) yield return FullGraph(epoch, 0, globalStart, device);
                break;
        }
    }

    // Every training interaction once per epoch in a shuffled order (RecBole's convention), each with a
    // negative drawn uniformly from the items the user has not interacted with; batches before skip are
    // drawn and dropped, so the draws after them match.
    private IEnumerable<(int Index, long[] Users, long[] Positives, long[] Negatives)> Triples(Random random, int skip)
    {
        var order = Enumerable.Range(0, train.Count).ToArray();
        random.Shuffle(order);
        var rowOf = RowIndex(train);
        for (int b = 0; b < PerEpoch; b++)
        {
            int n = Math.Min(batchSize, order.Length - b * batchSize);
            if (b < skip)
            {
                for (int i = 0; i < n; i++)
                    NegativeSampler.Sample(train, rowOf[order[b * batchSize + i]], random);
                continue;
            }
            var users = new long[n];
            var positives = new long[n];
            var negatives = new long[n];
            for (int i = 0; i < n; i++)
            {
                int k = order[b * batchSize + i];
                int u = rowOf[k];
                users[i] = u;
                positives[i] = train.Columns[k];
                negatives[i] = NegativeSampler.Sample(train, u, random);
            }
            yield return (b, users, positives, negatives);
        }
    }

    /// <summary>
    /// <paramref name="source"/> enumerated on a worker thread, at most <paramref name="ahead"/> items
    /// ahead of the caller; the worker's exception is rethrown here, and leaving early stops it.
    /// </summary>
    internal static IEnumerable<T> Prefetched<T>(IEnumerable<T> source, int ahead)
    {
        using var queue = new BlockingCollection<T>(ahead);
        using var stop = new CancellationTokenSource();
        var worker = Task.Run(() =>
        {
            try
            {
                foreach (var item in source) queue.Add(item, stop.Token);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
            }
            finally
            {
                queue.CompleteAdding();
            }
        });
        try
        {
            foreach (var item in queue.GetConsumingEnumerable()) yield return item;
            worker.GetAwaiter().GetResult(); // the worker's exception, if it ended with one
        }
        finally
        {
            stop.Cancel();
            try { worker.Wait(); } catch (AggregateException) { } // leaving early, or rethrown above already
        }
    }

    public static TrainingBatch FullGraph(int epoch, int index, long global, Device device) => new()
    {
        Kind = BatchKind.FullGraph, Epoch = epoch, Index = index, GlobalBatch = global, Device = device,
        Users = empty(0, dtype: ScalarType.Int64, device: device),
    };

    private static int[] RowIndex(Interactions m)
    {
        var rowOf = new int[m.Count];
        for (int r = 0; r < m.Rows; r++)
            for (int k = m.RowStart[r]; k < m.RowStart[r + 1]; k++) rowOf[k] = r;
        return rowOf;
    }
}

/// <summary>Uniform negatives outside a user's training items.</summary>
public static class NegativeSampler
{
    public static int Sample(Interactions train, int user, Random random)
    {
        var row = train.Row(user);
        if (row.Length >= train.ColumnCount)
            throw new InvalidOperationException($"user {user} interacted with every item; no negative can be sampled");
        // Rejection sampling is fast while rows are sparse; fall back to picking among the complement.
        for (int attempt = 0; attempt < 64; attempt++)
        {
            int item = random.Next(train.ColumnCount);
            if (row.BinarySearch(item) < 0) return item;
        }
        int pick = random.Next(train.ColumnCount - row.Length);
        // The pick-th item not in the (sorted) row.
        foreach (var taken in row)
        {
            if (taken <= pick) pick++;
            else break;
        }
        return pick;
    }
}
