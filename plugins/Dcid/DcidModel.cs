using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Untangle.Plugins.Dcid;

/// <summary>One forward pass of DCID over a batch of items, per modality.</summary>
public sealed record DcidPass(Tensor[] Commons, Tensor[] Specifics, Tensor[]? Codes, Tensor[]? Quantized, Tensor[] Reconstructions);

/// <summary>
/// DCID's representation model: a <see cref="ModalityParts"/> per modality and, unless ablated, the
/// <see cref="SharedCodebook"/> they quantise their commons with. Checkpoint keys: parts.&lt;m&gt;.*,
/// codebook.*.
/// </summary>
public sealed class DcidModel : nn.Module
{
    private readonly ModuleList<ModalityParts> parts;
    private readonly SharedCodebook? codebook;
    private readonly bool _reconstructFromCodes;

    public DcidModel(IReadOnlyList<string> modalities, IReadOnlyList<ModalityParts> modalityParts, SharedCodebook? sharedCodebook, bool reconstructFromCodes)
        : base(nameof(DcidModel))
    {
        if (modalities.Count != modalityParts.Count)
            throw new ArgumentException($"{modalities.Count} modality names but {modalityParts.Count} encoders");
        Modalities = modalities;
        parts = new ModuleList<ModalityParts>(modalityParts.ToArray());
        codebook = sharedCodebook;
        _reconstructFromCodes = reconstructFromCodes;
        RegisterComponents();
    }

    public IReadOnlyList<string> Modalities { get; }
    public ModalityParts Parts(int m) => parts[m];
    public SharedCodebook? Codebook => codebook;
    public int Count => parts.Count;

    /// <summary>
    /// Encodes each modality's rows (aligned: row i is the same item everywhere) into commons and
    /// specifics, quantises the commons when there is a codebook, and decodes [common, specific] (the
    /// straight-through quantised commons when reconstructing from codes, as the official decoder).
    /// </summary>
    public DcidPass Forward(IReadOnlyList<Tensor> inputs)
    {
        int count = parts.Count;
        var commons = new Tensor[count];
        var specifics = new Tensor[count];
        var reconstructions = new Tensor[count];
        Tensor[]? codes = codebook is null ? null : new Tensor[count];
        Tensor[]? quantized = codebook is null ? null : new Tensor[count];
        for (int m = 0; m < count; m++)
        {
            commons[m] = parts[m].Common(inputs[m]);
            specifics[m] = parts[m].Specific(inputs[m]);
            var decodeFrom = commons[m];
            if (codebook is not null)
            {
                codes![m] = codebook.Assign(commons[m]);
                quantized![m] = codebook.Lookup(codes[m]);
                if (_reconstructFromCodes) decodeFrom = SharedCodebook.StraightThrough(commons[m], quantized[m]);
            }
            reconstructions[m] = parts[m].Reconstruct(decodeFrom, specifics[m]);
        }
        return new DcidPass(commons, specifics, codes, quantized, reconstructions);
    }
}
