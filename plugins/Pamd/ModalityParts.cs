using static TorchSharp.torch;

namespace Untangle.Plugins.Pamd;

/// <summary>
/// One batch of items split into parts (Han et al., WWW 2022, sec. 3.2): the encoder outputs h, the
/// modality-common parts c = h·W and the modality-specific parts s = h − c, each rows × d.
/// </summary>
public sealed record ModalityParts(Tensor HV, Tensor HT, Tensor CV, Tensor CT, Tensor SV, Tensor ST)
{
    /// <summary>The four parts the recommender attends over, rows × 4 × d, in the order c_v, c_t, s_v, s_t.</summary>
    public Tensor Stacked() => stack([CV, CT, SV, ST], 1);
}
