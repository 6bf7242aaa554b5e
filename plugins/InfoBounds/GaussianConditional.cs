using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Untangle.Plugins.InfoBounds;

/// <summary>
/// CLUB's variational network q_θ(y|x) = N(μ(x), diag(exp(logvar(x)))) (Cheng et al., ICML 2020,
/// sec. 3; official code Linear95/CLUB): a μ MLP and a log-variance MLP of the same shape, the latter
/// ending in tanh so that logvar ∈ (−1, 1) and the variance stays within (e^−1, e).
/// </summary>
/// <remarks>
/// Each MLP is Linear(x_dim → h/2) → ReLU, repeated <c>hiddenLayers</c> times at width h/2, then
/// Linear(h/2 → y_dim): one hidden layer is the official CLUB and FairMI's network (FairMI: h = 256);
/// DCID's q is three hidden layers of 128 (specs/dcid-pamd.md). The tanh bound is the official code's:
/// it keeps the log-likelihood from diverging on nearly deterministic pairs, at the price that q cannot
/// fit a conditional variance below e^−1 ≈ 0.37 (CLUB then stays an upper bound but a looser one).
/// Field names are checkpoint keys.
/// </remarks>
public sealed class GaussianConditional : nn.Module<Tensor, (Tensor Mean, Tensor LogVariance)>
{
    private readonly Sequential mu;
    private readonly Sequential logvar;

    public GaussianConditional(int xDim, int yDim, int hiddenSize, int hiddenLayers) : base(nameof(GaussianConditional))
    {
        XDim = xDim;
        YDim = yDim;
        mu = Mlp(xDim, yDim, hiddenSize / 2, hiddenLayers, squash: false);
        logvar = Mlp(xDim, yDim, hiddenSize / 2, hiddenLayers, squash: true);
        RegisterComponents();
    }

    public int XDim { get; }
    public int YDim { get; }

    /// <summary>μ(x) and logvar(x), both rows × y_dim.</summary>
    public override (Tensor Mean, Tensor LogVariance) forward(Tensor x) => (mu.forward(x), logvar.forward(x));

    private static Sequential Mlp(int input, int output, int width, int hiddenLayers, bool squash)
    {
        var layers = new List<nn.Module<Tensor, Tensor>>();
        int previous = input;
        for (int i = 0; i < hiddenLayers; i++)
        {
            layers.Add(nn.Linear(previous, width));
            layers.Add(nn.ReLU());
            previous = width;
        }
        layers.Add(nn.Linear(previous, output));
        if (squash) layers.Add(nn.Tanh());
        return nn.Sequential(layers);
    }
}
