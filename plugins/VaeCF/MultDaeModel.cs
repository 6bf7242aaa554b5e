using static TorchSharp.torch;
using Untangle.Contracts.Training;

namespace Untangle.Plugins.VaeCF;

/// <summary>
/// MultDAE (Liang et al., WWW 2018, sec. 2.3): a denoising autoencoder with a multinomial
/// likelihood. The input row is normalised and dropped out (<see cref="UserRowInput"/>), then passes
/// through [items → hidden… → latent → …hidden → items] with tanh after every layer but the last;
/// the output is the logits of the softmax over items. Reference: dawenl/vae_cf, <c>MultiDAE</c>
/// with p_dims = [200, items] (no hidden layer), i.e. [items → 200 → items].
/// </summary>
public sealed class MultDaeModel : nn.Module, IRowAutoencoder
{
    private readonly TanhStack network;
    private readonly UserRowInput _input;
    private readonly int _codeLayers;

    public MultDaeModel(long items, IReadOnlyList<int> hidden, int latent, double keep, Generator generator) : base("MultDAE")
    {
        var sizes = new List<long> { items };
        sizes.AddRange(hidden.Select(h => (long)h));
        sizes.Add(latent);
        sizes.AddRange(hidden.Reverse().Select(h => (long)h));
        sizes.Add(items);
        network = new TanhStack(sizes, generator);
        _input = new UserRowInput(keep);
        _codeLayers = hidden.Count + 1;
        RegisterComponents();
    }

    public TanhStack Network => network;

    /// <summary>Logits over items for each row (batch × items); dropout only in training mode.</summary>
    public Tensor Logits(SparseRows rows) => network.Forward(_input.Prepare(rows, training));

    /// <summary>The latent layer's activations tanh(…) (batch × latent): the user's code, what the decoder reads.</summary>
    public Tensor Code(SparseRows rows) => network.Prefix(_input.Prepare(rows, training), _codeLayers);

    /// <summary>The layers after the latent code, as steering's program (the code is already tanh'd).</summary>
    public IReadOnlyList<DecoderOp> Decoder() => network.AsDecoder(_codeLayers);

    /// <summary>Σ W² over every weight matrix (biases excluded), for the λ·ΣW² penalty.</summary>
    public Tensor SquaredWeights() => network.Weights.Select(w => (w * w).sum()).Aggregate((a, b) => a.Plus(b));
}
