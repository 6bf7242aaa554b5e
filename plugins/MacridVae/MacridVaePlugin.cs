namespace Untangle.Plugins.MacridVae;

/// <summary>
/// Untangle.Plugins.MacridVae: MacridVAE of Ma, Zhou, Cui, Yang, Zhu, "Learning Disentangled
/// Representations for Recommendation", NeurIPS 2019 (official TensorFlow code by the first author,
/// built on dawenl/vae_cf). MEF finds the exports by their attributes; this file names them.
/// </summary>
/// <remarks>
/// <para><b>Encoders</b> (components other methods can put in their own slots)</para>
/// <list type="bullet">
///   <item>"concept-assignment" — <see cref="ConceptAssignmentFactory"/> → <see cref="ConceptAssignment"/>:
///   item representations → item × concept weights, cosine to K prototypes over τ; a Gumbel-softmax
///   sample in training, the softmax at evaluation (sec. 3.1, macro disentanglement).</item>
///   <item>"macrid-encoder" — <see cref="ConceptEncoderFactory"/> → <see cref="ConceptEncoder"/>: the one
///   encoder all K concepts share, [items → d → 2d] with tanh, sparse first layer (sec. 3.1-3.2).</item>
/// </list>
/// <para><b>Method</b></para>
/// <list type="bullet">
///   <item>"macridvae" — <see cref="MacridVaeMethod"/> with <see cref="MacridVaeModel"/> and
///   <see cref="ItemEmbeddings"/>; slots "assignment" and "encoder". Adds the run analysis
///   "disentanglement" (<see cref="Untangle.Contracts.Analysis.CategoryRecovery"/>: NMI and ARI of the item → prototype
///   assignment against the data set's item categories, beside a random assignment).</item>
/// </list>
/// <para><b>Blocks</b>: <see cref="GumbelSoftmax"/> (TorchSharp has none), <see cref="Untangle.Contracts.Analysis.ClusteringAgreement"/>
/// (NMI, ARI); from VaeCF: sparse rows, Glorot layers, multinomial likelihood, annealing.</para>
/// </remarks>
public static class MacridVaePlugin
{
    public const string MacridVae = "macridvae";
    public const string ConceptAssignmentName = "concept-assignment";
    public const string ConceptEncoderName = "macrid-encoder";
    public const string DisentanglementAnalysis = "disentanglement";

    public const string Citation =
        "Jianxin Ma, Chang Zhou, Peng Cui, Hongxia Yang, Wenwu Zhu. Learning Disentangled Representations for Recommendation. NeurIPS 2019.";
}
