using Untangle.Contracts.Training;
using static TorchSharp.torch;

namespace Untangle.Tests.Evaluation;

/// <summary>
/// A fake scorer over a fixed users × items score matrix: returns the batch's users' rows, and
/// records what it was given.
/// </summary>
internal sealed class FixedScorer(float[,] scores) : IScorer
{
    public List<ScoringBatch> Batches { get; } = [];
    public List<long[]> BatchUsers { get; } = [];
    public bool GradientsWereEnabled { get; private set; }
    public List<ScalarType> UserTypes { get; } = [];
    /// <summary>Replaces the returned tensor (to return a wrong shape, say).</summary>
    public Func<Tensor, Tensor> Tamper { get; init; } = t => t;

    public Tensor Score(ScoringBatch batch)
    {
        Batches.Add(batch);
        BatchUsers.Add(batch.Users.data<long>().ToArray());
        UserTypes.Add(batch.Users.dtype);
        GradientsWereEnabled |= is_grad_enabled();
        var all = tensor(scores);
        return Tamper(all.index_select(0, batch.Users));
    }
}
