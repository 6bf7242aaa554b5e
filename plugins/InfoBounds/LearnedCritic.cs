using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Untangle.Plugins.InfoBounds;

/// <summary>The shape of a learned critic f(x, y).</summary>
public enum CriticForm
{
    /// <summary>f(x, y) = xᵀ W y (van den Oord et al. 2018, CPC's log-bilinear model).</summary>
    Bilinear,
    /// <summary>f(x, y) = g(x)ᵀ h(y), g and h one-hidden-layer ReLU MLPs: the separable critic of Poole et al. (ICML 2019, sec. 2).</summary>
    Separable,
}

/// <summary>
/// The trainable critic of <see cref="LearnedInfoNceBound"/>: scores every (x_i, y_j) pair of a batch at
/// once as an N × N matrix, which is what an in-batch InfoNCE needs. Both forms are separable
/// (a product of a map of x and a map of y), so the N² scores cost one matrix product. Layers start
/// from TorchSharp's default initialisation, drawn from the run's seeded torch generator. Field names
/// are checkpoint keys.
/// </summary>
public sealed class LearnedCritic : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor> x_map;
    private readonly nn.Module<Tensor, Tensor> y_map;

    public LearnedCritic(CriticForm form, int xDim, int yDim, int hidden, int embedding, Device device) : base(nameof(LearnedCritic))
    {
        Form = form;
        (XDim, YDim) = (xDim, yDim);
        if (form == CriticForm.Bilinear)
        {
            // xᵀ W y = x · (W y): y is mapped into x's space by a linear map without bias.
            x_map = nn.Identity();
            y_map = nn.Linear(yDim, xDim, hasBias: false);
        }
        else
        {
            x_map = nn.Sequential(nn.Linear(xDim, hidden), nn.ReLU(), nn.Linear(hidden, embedding));
            y_map = nn.Sequential(nn.Linear(yDim, hidden), nn.ReLU(), nn.Linear(hidden, embedding));
        }
        RegisterComponents();
        this.to(device);
    }

    public CriticForm Form { get; }
    public int XDim { get; }
    public int YDim { get; }

    /// <summary>scores[i, j] = f(x_i, y_j): N × N.</summary>
    public override Tensor forward(Tensor x, Tensor y) => x_map.forward(x).mm(y_map.forward(y).t());
}
