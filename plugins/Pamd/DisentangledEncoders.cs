using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Untangle.Plugins.Pamd;

/// <summary>
/// PAMD's encoder side (Han et al., WWW 2022, sec. 3.2; official <c>PreTrain.forward</c>):
/// <code>
///   h_v = Linear(F_v → d)(x_v)        h_t = Linear(F_t → d)(x_t)
///   c_t = h_t·W1   c_v = h_v·W2       (W1, W2 ∈ R^{d×d}, no bias)
///   s_v = h_v − c_v                   s_t = h_t − c_t
/// </code>
/// W1, W2 are initialised Kaiming-uniform, as the official code.
/// </summary>
/// <remarks>Field names are the checkpoint keys; renaming one breaks loading old checkpoints.</remarks>
public sealed class DisentangledEncoders : nn.Module
{
    private Linear encoder_v;
    private Linear encoder_t;
    private Parameter common_t;
    private Parameter common_v;

    public DisentangledEncoders(int widthV, int widthT, int size, Device device) : base(nameof(DisentangledEncoders))
    {
        encoder_v = nn.Linear(widthV, size, hasBias: true, device: device);
        encoder_t = nn.Linear(widthT, size, hasBias: true, device: device);
        common_t = KaimingUniform(size, device);
        common_v = KaimingUniform(size, device);
        RegisterComponents();
    }

    public int Size => (int)common_v.shape[0];

    /// <summary>Every part for aligned rows of the two modalities (rows × F_v, rows × F_t).</summary>
    public ModalityParts Encode(Tensor v, Tensor t)
    {
        var hv = encoder_v.forward(v);
        var ht = encoder_t.forward(t);
        var cv = hv.matmul(common_v);
        var ct = ht.matmul(common_t);
        return new ModalityParts(hv, ht, cv, ct, hv - cv, ht - ct);
    }

    private static Parameter KaimingUniform(int size, Device device)
    {
        var parameter = new Parameter(empty([size, size], device: device));
        using (no_grad()) nn.init.kaiming_uniform_(parameter);
        parameter.DetachFromDisposeScope();
        return parameter;
    }
}
