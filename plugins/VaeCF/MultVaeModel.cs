using static TorchSharp.torch;
using Untangle.Contracts.Training;

namespace Untangle.Plugins.VaeCF;

/// <summary>
/// β-MultVAE (Liang et al., WWW 2018, sec. 2.2): the encoder q(z|x) = N(μ, diag σ²) reads the
/// normalised, dropped-out row through [items → hidden… → 2·latent] (tanh between layers, none on
/// the last, whose halves are μ and log σ²); z = μ + ε·σ in training and z = μ at evaluation; the
/// decoder [latent → …hidden → items] gives the logits of the softmax over items.
/// Reference: dawenl/vae_cf <c>MultiVAE</c> with p_dims = [200, 600, items].
/// </summary>
public sealed class MultVaeModel : nn.Module, IRowAutoencoder
{
    private readonly TanhStack encoder;
    private readonly TanhStack decoder;
    private readonly UserRowInput _input;
    private readonly long _latent;

    public MultVaeModel(long items, IReadOnlyList<int> hidden, int latent, double keep, Generator generator) : base("MultVAE")
    {
        var down = new List<long> { items };
        down.AddRange(hidden.Select(h => (long)h));
        down.Add(2L * latent);
        var up = new List<long> { latent };
        up.AddRange(hidden.Reverse().Select(h => (long)h));
        up.Add(items);
        // Encoder first, as the reference code creates weights_q before weights_p.
        encoder = new TanhStack(down, generator);
        decoder = new TanhStack(up, generator);
        _input = new UserRowInput(keep);
        _latent = latent;
        RegisterComponents();
    }

    /// <summary>One pass: the logits (batch × items), μ and log σ² (batch × latent).</summary>
    public (Tensor Logits, Tensor Mu, Tensor LogVariance) Forward(SparseRows rows)
    {
        var h = encoder.Forward(_input.Prepare(rows, training));
        var mu = h.narrow(1, 0, _latent);
        var logVariance = h.narrow(1, _latent, _latent);
        var z = training ? mu.Plus(randn_like(mu) * logVariance.mul(StableScalar.Half).exp()) : mu;
        return (decoder.Forward(z), mu, logVariance);
    }

    public Tensor Logits(SparseRows rows) => Forward(rows).Logits;

    /// <summary>The user's code: μ (<see cref="Mean"/>).</summary>
    public Tensor Code(SparseRows rows) => Mean(rows);

    /// <summary>μ of q(z|x) (batch × latent): the user's mean code.</summary>
    public Tensor Mean(SparseRows rows) => encoder.Forward(_input.Prepare(rows, training)).narrow(1, 0, _latent);

    /// <summary>The decoder from μ (what z is at evaluation) to the logits, as steering's program.</summary>
    public IReadOnlyList<DecoderOp> Decoder() => decoder.AsDecoder();

    /// <summary>Σ W² over every weight matrix (biases excluded), for the λ·ΣW² penalty (λ = 0 in the reference MultVAE).</summary>
    public Tensor SquaredWeights() =>
        encoder.Weights.Concat(decoder.Weights).Select(w => (w * w).sum()).Aggregate((a, b) => a.Plus(b));
}
