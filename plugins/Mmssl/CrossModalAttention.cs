using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Untangle.Plugins.Mmssl;

/// <summary>
/// MMSSL's inter-modality self-attention (Wei et al., WWW 2023, sec. 3.3): for each user (or item)
/// the M modality views form a sequence of length M; multi-head self-attention lets each view attend
/// to the others, and the mean over views is the attended signal Ē.
/// </summary>
/// <remarks>
/// Real attention (TorchSharp's nn.MultiheadAttention: softmax(QKᵀ/√d_h)V per head, output
/// projection). The official code's attention cancels out and returns V unchanged, so its query and
/// key weights have no effect (specs/mmssl.md); Untangle follows the paper. The field name is the
/// checkpoint key.
/// </remarks>
public sealed class CrossModalAttention : nn.Module
{
    private readonly MultiheadAttention attention;

    public CrossModalAttention(int size, int heads, Device device) : base(nameof(CrossModalAttention))
    {
        attention = nn.MultiheadAttention(size, heads);
        attention.to(device);
        RegisterComponents();
    }

    /// <summary>Views M × N × d → attended views M × N × d (each a mix of all M views).</summary>
    public Tensor Attend(Tensor views)
    {
        var (output, weights) = attention.call(views, views, views);
        weights.Dispose();
        return output;
    }
}
