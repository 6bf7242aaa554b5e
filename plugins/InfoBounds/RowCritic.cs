using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Untangle.Plugins.InfoBounds;

/// <summary>
/// An MLP that scores rows (MMSSL's <c>Discriminator</c>, specs/mmssl.md): for each hidden width
/// Linear → LeakyReLU → BatchNorm1d → Dropout, then Linear(→ 1). Returns one raw score (logit) per row;
/// the critics add their output transform.
/// </summary>
/// <remarks>
/// <para>MMSSL's code writes <c>nn.LeakyReLU(True)</c>, which passes True as the negative slope: slope 1,
/// so both activations are identities and the critic is linear up to batch norm and the sigmoid. Untangle
/// defaults to a real slope (0.2); leaky_slope = 1 reproduces the official network.</para>
/// <para>Weights are Kaiming-normal with zero biases, as MMSSL's <c>weights_init</c>. Field names are
/// checkpoint keys.</para>
/// </remarks>
public sealed class RowCritic : nn.Module<Tensor, Tensor>
{
    private readonly Sequential net;

    public RowCritic(CriticArchitecture shape) : base(nameof(RowCritic))
    {
        Shape = shape;
        var layers = new List<nn.Module<Tensor, Tensor>>();
        int previous = shape.InputDim;
        for (int i = 0; i < shape.Widths.Count; i++)
        {
            layers.Add(Linear(previous, shape.Widths[i]));
            layers.Add(nn.LeakyReLU(shape.LeakySlope));
            if (shape.BatchNorm) layers.Add(nn.BatchNorm1d(shape.Widths[i]));
            if (shape.Dropouts[i] > 0) layers.Add(nn.Dropout(shape.Dropouts[i]));
            previous = shape.Widths[i];
        }
        layers.Add(Linear(previous, 1));
        net = nn.Sequential(layers);
        RegisterComponents();
    }

    public CriticArchitecture Shape { get; }

    /// <summary>One raw score per row: rows × I → rows.</summary>
    public override Tensor forward(Tensor rows)
    {
        if (rows.dim() != 2 || rows.shape[1] != Shape.InputDim)
            throw new ArgumentException($"the critic scores rows of length {Shape.InputDim}; got {PairedRows.Shape(rows)}");
        return net.forward(rows.to_type(ScalarType.Float32)).view(-1);
    }

    private static Linear Linear(int input, int output)
    {
        var layer = nn.Linear(input, output);
        using var noGrad = no_grad();
        nn.init.kaiming_normal_(layer.weight);
        nn.init.zeros_(layer.bias);
        return layer;
    }
}
