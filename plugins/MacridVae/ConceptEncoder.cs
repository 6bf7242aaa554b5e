using Untangle.Contracts.Components;
using Untangle.Plugins.VaeCF;
using static TorchSharp.torch;
using Untangle.Contracts.Training;

namespace Untangle.Plugins.MacridVae;

/// <summary>
/// The encoder MacridVAE shares between all K concepts (Ma et al., NeurIPS 2019, sec. 3.2; official
/// code <c>q_graph_k</c> with <c>q_dims = [M, d, d]</c>): o = tanh(h·W0 + b0)·W1 + b1 with
/// W0 ∈ R^{M×d}, W1 ∈ R^{d×2d}, Glorot-uniform weights and truncated-normal(0.001) biases, where h is
/// concept k's input dropout(l2norm(x ⊙ c[:, k])). It returns o (rows × 2d); the method reads
/// μ_k = l2norm(o[:, :d]) and λ_k = −o[:, d:].
/// </summary>
/// <remarks>
/// <para><see cref="Encode(SparseRows, Tensor, double, bool)"/> is MacridVAE's path. It never builds
/// x ⊙ c as a tensor: the concept weights scale the items, so they move onto W0's rows, and the
/// normalisation is a per-row scalar that moves outside the product:
/// <code>
///     (x ⊙ c / n ⊙ m / keep)·W0 = diag(1/n) · ((x ⊙ m / keep)·(c ⊙ W0)),    n_u² = (x ⊙ x)·c²
/// </code>
/// with m the dropout mask on x's non-zeros. Both products are torch sparse × dense mm with the
/// batch's constant sparse rows, so no dense rows × items input exists and the gradient reaches c
/// (the assignment's prototypes and the item embeddings) through the dense side, as it does in the
/// official code. (TorchSharp's sparse tensors cannot carry a gradient to their values.)</para>
/// <para><see cref="Encode(Tensor)"/> (the <see cref="IRowEncoder"/> contract) takes rows already
/// prepared, dense or sparse COO, for other methods.</para>
/// </remarks>
public sealed class ConceptEncoder : nn.Module, IRowEncoder
{
    // Checkpoint keys first.weight, first.bias, second.weight, second.bias (the code's weight_q_0to1 ... bias_q_2).
    private readonly DenseLayer first;
    private readonly DenseLayer second;

    public ConceptEncoder(long items, long dim, Generator generator) : base(nameof(ConceptEncoder))
    {
        first = new DenseLayer(items, dim, generator);
        second = new DenseLayer(dim, 2 * dim, generator);
        RegisterComponents();
    }

    public long Items => first.Inputs;
    public long Dim => first.Outputs;

    public nn.Module Module => this;

    /// <summary>W0 and W1 (biases excluded), for an L2 penalty.</summary>
    public IEnumerable<Tensor> Weights => [first.Weight, second.Weight];

    /// <summary>o for prepared rows (rows × items, dense or sparse COO).</summary>
    public Tensor Encode(Tensor rows)
    {
        if (rows.dim() != 2 || rows.shape[1] != Items)
            throw new ArgumentException($"the concept encoder expects rows x {Items} user rows, got shape [{string.Join(", ", rows.shape)}]");
        return second.Forward(first.Forward(rows).tanh());
    }

    /// <summary>
    /// o for concept input dropout(l2norm(<paramref name="rows"/> ⊙ <paramref name="itemWeights"/>)),
    /// with dropout (keep probability <paramref name="keep"/>, scaled by 1/keep) only when
    /// <paramref name="training"/>; differentiable in the item weights (see remarks).
    /// </summary>
    public Tensor Encode(SparseRows rows, Tensor itemWeights, double keep, bool training)
    {
        if (rows.Items != Items || itemWeights.dim() != 1 || itemWeights.shape[0] != Items)
            throw new ArgumentException($"the concept encoder expects rows and weights over {Items} items, got {rows.Items} items and weights of shape [{string.Join(", ", itemWeights.shape)}]");
        var weights = itemWeights.unsqueeze(1);
        var squaredNorms = rows.WithValues(rows.Values * rows.Values).MatMul(weights * weights);
        var inverseNorms = squaredNorms.clamp_min(StableScalar.NormEpsilon).rsqrt();
        var input = training ? rows.Dropout(keep) : rows;
        var h = (input.MatMul(weights * first.Weight) * inverseNorms).Plus(first.Bias);
        return second.Forward(h.tanh());
    }
}
