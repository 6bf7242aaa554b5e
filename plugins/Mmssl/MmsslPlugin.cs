namespace Untangle.Plugins.Mmssl;

/// <summary>
/// Untangle.Plugins.Mmssl: MMSSL (Wei, Huang, Xia, Zhang, "Multi-Modal Self-Supervised Learning for
/// Recommendation", WWW 2023; official code HKUDS/MMSSL). MEF finds the export by its attribute; this
/// file names the pieces, as a table of contents.
/// </summary>
/// <remarks>
/// <list type="bullet">
///   <item>"mmssl" — <see cref="MmsslMethod"/>: slots "graph" (user-item), "encoder" (lightgcn),
///   "critic" (wgan-gp), "contrast" (infonce); hyper-parameters <see cref="MmsslHyperParameters"/>.</item>
///   <item><see cref="ModalityRelationGenerator"/>: per-modality projection with dropout, graph
///   aggregation, cosine relation rows with known items zeroed (the generator of sec. 3.1).</item>
///   <item><see cref="GumbelRows"/>: the critic's "real" rows, softmax((A + g)/τ) plus ζ·cos(h_u, h_i).</item>
///   <item><see cref="ModalityGraphs"/>: the modality-aware top-k user–item graphs, rebuilt every T batches.</item>
///   <item><see cref="CrossModalAttention"/>: multi-head self-attention across the modality views.</item>
///   <item><see cref="MmsslModel"/>: views, attention, LightGCN-style propagation with η, fusion with ω.</item>
/// </list>
/// </remarks>
public static class MmsslPlugin
{
    public const string Mmssl = "mmssl";

    public const string Citation =
        "Wei Wei, Chao Huang, Lianghao Xia, Chuxu Zhang. Multi-Modal Self-Supervised Learning for Recommendation. WWW 2023.";
}
