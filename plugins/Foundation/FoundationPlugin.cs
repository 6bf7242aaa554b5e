namespace Untangle.Plugins.Foundation;

/// <summary>
/// Untangle.Plugins.Foundation: the blocks later papers share, and the baselines they are measured
/// against. MEF finds every export by its attribute; this file only names them, as a table of contents.
/// </summary>
/// <remarks>
/// <para><b>Graph builders</b></para>
/// <list type="bullet">
///   <item>"user-item" — <see cref="UserItemGraphFactory"/> → <see cref="NormalizedBipartiteGraph"/>:
///   D^-1/2 A D^-1/2 over users then items, sparse COO (He et al., SIGIR 2020, eq. 6-7).</item>
/// </list>
/// <para><b>Encoders</b></para>
/// <list type="bullet">
///   <item>"lightgcn" — <see cref="LightGcnEncoderFactory"/> → <see cref="LightGcnPropagation"/>:
///   mean of E⁽⁰⁾..E⁽ᴸ⁾, E⁽ˡ⁺¹⁾ = Â E⁽ˡ⁾; setting hyper.&lt;slot&gt;.layers (He et al., SIGIR 2020, eq. 7-8).</item>
/// </list>
/// <para><b>Objectives</b> (plain code other plugins call, not an exported component)</para>
/// <list type="bullet">
///   <item><see cref="BprObjective"/>: BPR loss (Rendle et al., UAI 2009) and LightGCN's reference
///   L2 on the batch's ego embeddings.</item>
/// </list>
/// <para><b>Methods</b> (weak generalization: they score training users only)</para>
/// <list type="bullet">
///   <item>"mostpop" — <see cref="MostPopularMethod"/> with <see cref="ItemPopularity"/>
///   (Cremonesi et al., RecSys 2010).</item>
///   <item>"bpr-mf" — <see cref="BprMfMethod"/> with <see cref="UserItemEmbeddings"/> (Rendle et al., UAI 2009).</item>
///   <item>"lightgcn" — <see cref="LightGcnMethod"/> with <see cref="LightGcnModel"/>; slots "graph"
///   (default "user-item") and "encoder" (default "lightgcn") (He et al., SIGIR 2020).</item>
/// </list>
/// <para>BPR-MF and LightGCN share <see cref="EmbeddingHyperParameters"/> (d = 64, N(0, 0.1²) init,
/// Adam 1e-3, L2 1e-4); <see cref="TrainedUsers"/> guards their scorers against held-out users.</para>
/// </remarks>
public static class FoundationPlugin
{
    public const string UserItemGraph = "user-item";
    public const string LightGcnEncoder = "lightgcn";
    public const string MostPopular = "mostpop";
    public const string BprMf = "bpr-mf";
    public const string LightGcn = "lightgcn";

    public const string LightGcnCitation =
        "Xiangnan He, Kuan Deng, Xiang Wang, Yan Li, Yongdong Zhang, Meng Wang. LightGCN: Simplifying and Powering Graph Convolution Network for Recommendation. SIGIR 2020.";
    public const string BprCitation =
        "Steffen Rendle, Christoph Freudenthaler, Zeno Gantner, Lars Schmidt-Thieme. BPR: Bayesian Personalized Ranking from Implicit Feedback. UAI 2009.";
    public const string MostPopularCitation =
        "Paolo Cremonesi, Yehuda Koren, Roberto Turrin. Performance of Recommender Algorithms on Top-N Recommendation Tasks. RecSys 2010.";
}
