using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Untangle.Plugins.Pamd;

/// <summary>
/// PAMD's cross-modal decoders (Han et al., WWW 2022, sec. 3.3; official <c>de_img</c>, <c>de_txt</c>):
/// Dec_{v→t} = Linear(d → F_t) decodes the text features from a part of the visual representation and
/// Dec_{t→v} = Linear(d → F_v) the visual features from a part of the text representation. They are used
/// in pretraining only.
/// </summary>
/// <remarks>Field names are the checkpoint keys.</remarks>
public sealed class CrossModalDecoders : nn.Module
{
    private Linear v_to_t;
    private Linear t_to_v;

    public CrossModalDecoders(int widthV, int widthT, int size, Device device) : base(nameof(CrossModalDecoders))
    {
        v_to_t = nn.Linear(size, widthT, hasBias: true, device: device);
        t_to_v = nn.Linear(size, widthV, hasBias: true, device: device);
        RegisterComponents();
    }

    /// <summary>Dec_{v→t}: rows × d (a part of v) → rows × F_t.</summary>
    public Tensor VToT(Tensor part) => v_to_t.forward(part);

    /// <summary>Dec_{t→v}: rows × d (a part of t) → rows × F_v.</summary>
    public Tensor TToV(Tensor part) => t_to_v.forward(part);
}
