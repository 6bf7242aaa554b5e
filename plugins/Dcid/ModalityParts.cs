using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Untangle.Plugins.Dcid;

/// <summary>
/// One modality's half of DCID (Xia et al., NeurIPS 2023, sec. 3.1; specs/dcid-pamd.md): the common
/// (semantic) encoder Φ_m, the specific encoder Ψ_m, and the decoder that reconstructs x from
/// [common, specific].
/// </summary>
/// <remarks>
/// The paper's Φ is Linear + a small Transformer over a sequence and Ψ is Linear + ReLU; an item
/// modality is one vector, so all three are MLPs with one hidden ReLU layer (the spec's "natural fit").
/// The encoders end linearly: the codebook and the probes see unbounded vectors, as the official
/// semantic encoder's output. Field names are checkpoint keys.
/// </remarks>
public sealed class ModalityParts : nn.Module
{
    private readonly Sequential common;
    private readonly Sequential specific;
    private readonly Sequential decoder;

    public ModalityParts(int inputSize, int commonSize, int specificSize, int hiddenSize, Device device) : base(nameof(ModalityParts))
    {
        InputSize = inputSize;
        CommonSize = commonSize;
        SpecificSize = specificSize;
        common = Mlp(inputSize, hiddenSize, commonSize);
        specific = Mlp(inputSize, hiddenSize, specificSize);
        decoder = Mlp(commonSize + specificSize, hiddenSize, inputSize);
        RegisterComponents();
        this.to(device);
    }

    public int InputSize { get; }
    public int CommonSize { get; }
    public int SpecificSize { get; }

    /// <summary>Φ_m(x): rows × common_size.</summary>
    public Tensor Common(Tensor x) => common.forward(x);

    /// <summary>Ψ_m(x): rows × specific_size.</summary>
    public Tensor Specific(Tensor x) => specific.forward(x);

    /// <summary>x̂ = Dec_m([common, specific]): rows × input size.</summary>
    public Tensor Reconstruct(Tensor commonPart, Tensor specificPart) => decoder.forward(cat([commonPart, specificPart], 1));

    private static Sequential Mlp(int input, int hidden, int output) =>
        nn.Sequential(nn.Linear(input, hidden), nn.ReLU(), nn.Linear(hidden, output));
}
