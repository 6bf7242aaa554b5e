using Untangle.Contracts.Components;
using Untangle.Plugins.VaeCF;
using TorchSharp;
using static TorchSharp.torch;
using Untangle.Contracts.Training;

namespace Untangle.Plugins.MacridVae;

/// <summary>
/// MacridVAE's forward pass (Ma et al., NeurIPS 2019, sec. 3; official code <c>forward_pass</c>):
/// <code>
///     c = assignment(H)                                       items × K (Gumbel-softmax in training)
///     for each concept k:
///         o   = encoder(dropout(l2norm(x ⊙ c[:, k])))         own dropout mask per k, training only
///         μ_k = l2norm(o[:, :d]);  λ_k = −o[:, d:];  σ_k = σ0·exp(λ_k / 2)
///         KL_k = mean_u Σ_j ½(−λ_kj + exp(λ_kj) − 1)          (the μ term is constant: ‖μ_k‖ = 1)
///         z_k = μ_k + ε·σ_k in training, μ_k at evaluation
///         p  += c[:, k]ᵀ ⊙ exp(cos(z_k, h_i) / τ)
///     logits = log p                                          (log-softmax is taken by the loss)
/// </code>
/// The model is the composition of three modules, each checkpointed on its own: the item embeddings
/// (this method's), the assignment and the encoder (slot components).
/// </summary>
/// <remarks>
/// p is summed directly, as the official code: cos ∈ [−1, 1] keeps exp(cos/τ) within e^{±1/τ} and the
/// c_ik sum to 1 over k, so log p ∈ [−1/τ, 1/τ] and float32 neither overflows nor underflows for τ ≥ 0.02.
/// Training or evaluation follows the item embeddings module's train()/eval() state (the engine
/// switches every module of the graph together).
/// </remarks>
public sealed class MacridVaeModel
{
    private readonly MacridVaeHyperParameters _hyper;

    public MacridVaeModel(ItemEmbeddings items, IRowEncoder assignment, IRowEncoder encoder, MacridVaeHyperParameters hyper)
    {
        Items = items;
        Assignment = assignment;
        Encoder = encoder;
        _hyper = hyper;
    }

    public ItemEmbeddings Items { get; }
    public IRowEncoder Assignment { get; }
    public IRowEncoder Encoder { get; }
    public bool Training => Items.training;

    /// <summary>The item × concept assignment c (items × K): a fresh Gumbel-softmax sample in training, the softmax at evaluation.</summary>
    public Tensor ConceptWeights() => Assignment.Encode(Items.Table);

    /// <summary>The logits over items (rows × items) and the summed KL over concepts, for the given user rows.</summary>
    public (Tensor Logits, Tensor Kl) Forward(SparseRows rows)
    {
        bool training = Training;
        var weights = ConceptWeights();
        int concepts = (int)weights.shape[1];
        long d = _hyper.Dim;
        // ĥ_i / τ once, so the batch × items scores need no division by τ.
        using var inverseTau = (1 / _hyper.Tau).ToScalar(); // see StableScalar
        using var std0 = _hyper.Std0.ToScalar();
        var itemsOverTau = UnitRows.Of(Items.Table).mul(inverseTau);

        var perConcept = new List<Tensor>(concepts);
        Tensor? kl = null;
        for (int k = 0; k < concepts; k++)
        {
            var o = EncodeConcept(rows, weights.select(1, k), training);
            var mu = UnitRows.Of(o.narrow(1, 0, d));
            var lambda = -o.narrow(1, d, d);
            var klK = ConceptKl(lambda);
            kl = kl is null ? klK : kl.Plus(klK);

            var z = training ? mu.Plus(randn_like(mu) * lambda.mul(StableScalar.Half).exp().mul(std0)) : mu;
            perConcept.Add(UnitRows.Of(z).mm(itemsOverTau.t()).exp() * weights.select(1, k).unsqueeze(0));
        }
        // Σ_k by one sum over a stacked dimension.
        return (stack(perConcept).sum(dim: 0).log(), kl!);
    }

    /// <summary>
    /// The user's code at evaluation: the per-concept means μ_k (unit rows, what z_k is at evaluation)
    /// side by side, rows × K·d, concept k in columns [k·d, (k+1)·d).
    /// </summary>
    public Tensor UserCodes(SparseRows rows)
    {
        var weights = ConceptWeights();
        int concepts = (int)weights.shape[1];
        long d = _hyper.Dim;
        var blocks = new List<Tensor>(concepts);
        for (int k = 0; k < concepts; k++)
            blocks.Add(UnitRows.Of(EncodeConcept(rows, weights.select(1, k), Training).narrow(1, 0, d)));
        return cat(blocks, 1);
    }

    /// <summary>
    /// The decoder from the user code (<see cref="UserCodes"/>) to the logits, as steering's program:
    /// each block z_k back to unit length (a moved code leaves the sphere), then log Σ_k c_ik·exp(cos(z_k, h_i)/τ),
    /// the evaluation branch of <see cref="Forward"/>.
    /// </summary>
    public IReadOnlyList<DecoderOp> Decoder()
    {
        var weights = ConceptWeights();
        using var inverseTau = (1 / _hyper.Tau).ToScalar(); // see StableScalar
        return [new BlockUnitDecoderOp((int)weights.shape[1]), new ConceptMixtureDecoderOp(UnitRows.Of(Items.Table).mul(inverseTau), weights)];
    }

    /// <summary>
    /// MacridVAE's native axes: concept k's direction is, within block k and zero elsewhere, the unit
    /// c-weighted mean of the unit item embeddings, m_k = Σ_i c_ik·ĥ_i / ‖·‖. Moving z_k towards m_k
    /// raises cos(z_k, h_i) for the items of concept k, which is how the decoder reads a preference
    /// for the concept (sec. 3.2: z_k scores only the items assigned to k). Item weights: c_·k.
    /// </summary>
    public IReadOnlyList<CodeAxis> ConceptAxes()
    {
        var weights = ConceptWeights();
        int concepts = (int)weights.shape[1];
        long d = _hyper.Dim;
        var centres = UnitRows.Of(weights.t().mm(UnitRows.Of(Items.Table))).to_type(ScalarType.Float32).cpu().data<float>().ToArray();
        var membership = weights.to_type(ScalarType.Float32).cpu().data<float>().ToArray();
        long items = weights.shape[0];
        var axes = new List<CodeAxis>(concepts);
        for (int k = 0; k < concepts; k++)
        {
            var direction = new float[concepts * d];
            Array.Copy(centres, k * d, direction, k * d, d);
            var itemWeights = new float[items];
            for (long i = 0; i < items; i++) itemWeights[i] = membership[i * concepts + k];
            axes.Add(new CodeAxis($"concept:{k}", $"concept {k}: block {k} towards the c-weighted mean of its unit item embeddings", direction, itemWeights));
        }
        return axes;
    }

    /// <summary>
    /// The shared encoder's output for concept k. The default encoder (<see cref="ConceptEncoder"/>)
    /// takes the sparse rows and the concept's item weights; another <see cref="IRowEncoder"/> in the
    /// slot gets dropout(l2norm(x ⊙ c_k)) as a dense batch × items tensor, which keeps the gradient
    /// to c_k (a TorchSharp sparse tensor would not).
    /// </summary>
    private Tensor EncodeConcept(SparseRows rows, Tensor itemWeights, bool training)
    {
        if (Encoder is ConceptEncoder shared)
            return shared.Encode(rows, itemWeights, _hyper.DropoutKeep, training);
        var input = UnitRows.Of(rows.ToDense() * itemWeights.unsqueeze(0));
        if (training) input = nn.functional.dropout(input, 1 - _hyper.DropoutKeep, training: true);
        return Encoder.Encode(input);
    }

    /// <summary>
    /// KL(N(μ, σ²) ‖ N(μ0, σ0²)) of one concept without the μ term, with λ = log(σ²/σ0²), averaged
    /// over users: mean_u Σ_j ½(−λ_uj + exp(λ_uj) − 1). The μ term is dropped because ‖μ_k‖ = 1 makes
    /// it constant (the official code's "Trick: KL is constant w.r.t. to mu_q after we normalize mu_q").
    /// </summary>
    public static Tensor ConceptKl(Tensor lambda) =>
        (lambda.exp() - lambda).sub(StableScalar.One).mul(StableScalar.Half).sum(1).mean();

    /// <summary>Σ of squares of the item embeddings and of every non-bias parameter of the slot components (the official code's rg penalty).</summary>
    public Tensor SquaredWeights()
    {
        var total = (Items.Table * Items.Table).sum();
        foreach (var module in new[] { Assignment.Module, Encoder.Module })
            foreach (var (name, parameter) in module.named_parameters())
                if (!name.EndsWith("bias", StringComparison.Ordinal))
                    total = total.Plus((parameter * parameter).sum());
        return total;
    }
}
