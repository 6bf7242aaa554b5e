namespace Untangle.Plugins.Dcid;

/// <summary>
/// Untangle.Plugins.Dcid: DCID, Dual Cross-modal Information Disentangling (Xia, Huang, Zhu, Zhao,
/// "Achieving Cross Modal Generalization with Multimodal Unified Representation", NeurIPS 2023;
/// official code haihuangcode/CMG), adapted from audio/video/text sequences to item modalities
/// (specs/dcid-pamd.md). MEF finds the export by its attribute; this file names the pieces.
/// </summary>
/// <remarks>
/// <list type="bullet">
///   <item>"dcid" — <see cref="DcidMethod"/>: slots "club" (club; club-sample or orthogonality swap in),
///   "contrast" (infonce), "graph" and "encoder" (Foundation's user-item graph and lightgcn, used when
///   hyper.backbone = lightgcn); hyper-parameters <see cref="DcidHyperParameters"/>.</item>
///   <item><see cref="ModalityParts"/>: a modality's common encoder Φ_m, specific encoder Ψ_m and decoder.</item>
///   <item><see cref="SharedCodebook"/>: the unified representation, with <see cref="MultimodalEma"/>,
///   <see cref="CommitmentLoss"/> and <see cref="DeadCodeReset"/>.</item>
///   <item><see cref="CrossModalContrast"/>: the cross-modal InfoNCE (cross pairs 1, self pairs 0.1).</item>
///   <item><see cref="DcidObjective"/> and <see cref="DcidPretraining"/>: the representation phase.</item>
///   <item><see cref="DcidRecommender"/>: the recommendation phase over the frozen commons (or codes).</item>
///   <item><see cref="DcidAnalyses"/>: "disentanglement" (linear-probe R² against the true factors) and
///   "transfer" (cross-modal category transfer).</item>
/// </list>
/// </remarks>
public static class DcidPlugin
{
    public const string Dcid = "dcid";

    public const string Citation =
        "Yan Xia, Hai Huang, Jieming Zhu, Zhou Zhao. Achieving Cross Modal Generalization with Multimodal Unified Representation. NeurIPS 2023.";
}
