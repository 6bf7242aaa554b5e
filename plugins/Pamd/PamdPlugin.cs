namespace Untangle.Plugins.Pamd;

/// <summary>
/// Untangle.Plugins.Pamd: PAMD (Han, Wang, Niu, Li, "Modality Matches Modality: Pretraining
/// Modality-Disentangled Item Representations for Recommendation", WWW 2022; official code
/// hantengyue/PAMD; specs/dcid-pamd.md). MEF finds the export by its attribute; this file names the
/// pieces, as a table of contents.
/// </summary>
/// <remarks>
/// <list type="bullet">
///   <item>"pamd" — <see cref="PamdMethod"/>: pretraining on items (<see cref="ItemPretraining"/>), then the
///   downstream recommender (<see cref="PamdRecommender"/>); slot "separation" (orthogonality); hyper-parameters
///   <see cref="PamdHyperParameters"/>.</item>
///   <item><see cref="DisentangledEncoders"/>: per-modality linear encoders, bias-free commons, specifics by subtraction.</item>
///   <item><see cref="CrossModalDecoders"/>: Dec_{v→t}, Dec_{t→v}.</item>
///   <item><see cref="PamdLosses"/>: L_sim, L_ort and the contrastive decoder ordering loss.</item>
///   <item><see cref="PretrainingObjective"/>: the pretraining loss with the paper's ablation switches.</item>
///   <item><see cref="DisentanglementAnalysis"/>, <see cref="TransferAnalysis"/>: the "disentanglement" and "transfer" sections of metrics.json.</item>
/// </list>
/// </remarks>
public static class PamdPlugin
{
    public const string Pamd = "pamd";

    public const string Citation =
        "Tengyue Han, Pengfei Wang, Shaozhang Niu, Chenliang Li. Modality Matches Modality: Pretraining Modality-Disentangled Item Representations for Recommendation. WWW 2022.";
}
