using Untangle.Contracts.Training;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Untangle.Plugins.VaeCF;

/// <summary>
/// Fully connected layers with tanh after every layer but the last, as the reference code's loops
/// (<c>if i != len(self.weights) - 1: h = tf.nn.tanh(h)</c>). The first layer can take sparse user rows.
/// </summary>
public sealed class TanhStack : nn.Module
{
    // The checkpoint keys are layers.0.weight, layers.0.bias, ...
    private readonly ModuleList<DenseLayer> layers;

    /// <param name="sizes">Layer widths from input to output, at least two (one layer).</param>
    public TanhStack(IReadOnlyList<long> sizes, Generator generator) : base(nameof(TanhStack))
    {
        if (sizes.Count < 2) throw new ArgumentException($"a layer stack needs at least an input and an output size, got [{string.Join(", ", sizes)}]");
        layers = new ModuleList<DenseLayer>();
        for (int i = 0; i + 1 < sizes.Count; i++) layers.Add(new DenseLayer(sizes[i], sizes[i + 1], generator));
        RegisterComponents();
    }

    public IReadOnlyList<DenseLayer> Layers => [.. layers];

    /// <summary>The layers' weight matrices (not the biases): what the reference code's L2 penalty covers.</summary>
    public IEnumerable<Tensor> Weights => layers.Select(l => (Tensor)l.Weight);

    public Tensor Forward(SparseRows input) => Rest(layers[0].Forward(input));

    public Tensor Forward(Tensor input) => Rest(layers[0].Forward(input));

    /// <summary>The first <paramref name="count"/> layers with tanh after each: the code the next layer would read.</summary>
    public Tensor Prefix(SparseRows input, int count)
    {
        var h = layers[0].Forward(input);
        for (int i = 1; i < count; i++)
            h = layers[i].Forward(h.tanh());
        return h.tanh();
    }

    /// <summary>
    /// Layers <paramref name="from"/>… as steering's decoder program: layer, then tanh and the next layer,
    /// and so on (no tanh after the last), which is what <see cref="Forward(Tensor)"/> computes from there.
    /// </summary>
    public IReadOnlyList<DecoderOp> AsDecoder(int from = 0)
    {
        var ops = new List<DecoderOp>();
        for (int i = from; i < layers.Count; i++)
        {
            if (i > from) ops.Add(new TanhDecoderOp());
            ops.Add(new LinearDecoderOp(layers[i].Weight, layers[i].Bias));
        }
        return ops;
    }

    private Tensor Rest(Tensor h)
    {
        for (int i = 1; i < layers.Count; i++)
            h = layers[i].Forward(h.tanh());
        return h;
    }
}
