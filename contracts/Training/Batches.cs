using TorchSharp;
using Untangle.Contracts.Components;
using Untangle.Contracts.Data;
using static TorchSharp.torch;

namespace Untangle.Contracts.Training;

/// <summary>
/// One training batch. Tensors are created inside the engine's per-batch dispose scope, so a loss
/// may use them freely; nothing here outlives the batch.
/// </summary>
public sealed class TrainingBatch
{
    public required BatchKind Kind { get; init; }
    public required int Epoch { get; init; }
    public required int Index { get; init; }
    public required long GlobalBatch { get; init; }
    public required Device Device { get; init; }
    /// <summary>User indices (int64) for UserRows and Triples batches; empty for FullGraph.</summary>
    public required Tensor Users { get; init; }
    /// <summary>Positive and negative item indices (int64) for Triples batches.</summary>
    public Tensor? Positives { get; init; }
    public Tensor? Negatives { get; init; }
    /// <summary>A phase's batch of row indices (int64; items for item pretraining); null on a PerEpoch step of a phase (all rows).</summary>
    public Tensor? Indices { get; init; }
    /// <summary>The batch users' training rows (UserRows batches).</summary>
    public Interactions? Rows { get; init; }

    private Tensor? _dense;

    /// <summary>The rows as a dense batch × items float32 tensor (bounded by the batch size).</summary>
    public Tensor DenseRows() => _dense ??= RowTensors.Dense(Rows ?? throw new InvalidOperationException("this batch has no rows"), Device);

    /// <summary>The rows as a sparse COO batch × items float32 tensor.</summary>
    public Tensor SparseRows() => RowTensors.Sparse(Rows ?? throw new InvalidOperationException("this batch has no rows"), Device);
}

/// <summary>Users to score, with the items known for them (training or fold-in items).</summary>
public sealed class ScoringBatch
{
    /// <summary>Training-space user indices (int64); -1 for users the model never trained on.</summary>
    public required Tensor Users { get; init; }
    public required Interactions Known { get; init; }
    public required Device Device { get; init; }

    private Tensor? _dense;
    public Tensor DenseKnown() => _dense ??= RowTensors.Dense(Known, Device);
    public Tensor SparseKnown() => RowTensors.Sparse(Known, Device);
}

/// <summary>Scores every item for a batch of users: returns batch × items (higher is better). Runs under no_grad in eval mode.</summary>
public interface IScorer
{
    Tensor Score(ScoringBatch batch);
}

/// <summary>A scorer from a function.</summary>
public sealed class Scorer(Func<ScoringBatch, Tensor> score) : IScorer
{
    public Tensor Score(ScoringBatch batch) => score(batch);
}

/// <summary>Turns CSR rows into tensors.</summary>
public static class RowTensors
{
    public static Tensor Dense(Interactions rows, Device device)
    {
        var data = new float[(long)rows.Rows * rows.ColumnCount];
        for (int r = 0; r < rows.Rows; r++)
            foreach (var c in rows.Row(r))
                data[(long)r * rows.ColumnCount + c] = 1f;
        return torch.tensor(data, [rows.Rows, rows.ColumnCount]).to(device);
    }

    public static Tensor Sparse(Interactions rows, Device device)
    {
        var idx = new long[2 * rows.Count];
        for (int r = 0; r < rows.Rows; r++)
            for (int k = rows.RowStart[r]; k < rows.RowStart[r + 1]; k++)
            {
                idx[k] = r;
                idx[rows.Count + k] = rows.Columns[k];
            }
        using var indices = torch.tensor(idx, [2, rows.Count]);
        using var values = torch.ones(rows.Count);
        // CSR order is already row-major and duplicate-free, i.e. coalesced order.
        return torch.sparse_coo_tensor(indices, values, [rows.Rows, rows.ColumnCount]).to(device);
    }
}
