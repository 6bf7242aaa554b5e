namespace Untangle.Plugins.DisenGraph;

/// <summary>
/// Untangle.Plugins.DisenGraph: disentangled graph encoders, which split each node's embedding into K
/// channels and route every edge to the channels that explain it. MEF finds every export by its
/// attribute; this file only names them, as a table of contents.
/// </summary>
/// <remarks>
/// <para><b>Encoders</b> (any "encoder" slot: lightgcn, FairMI's LightGCN backbone, DCID, MMSSL, dgcf)</para>
/// <list type="bullet">
///   <item>"disen-routing" — <see cref="DisenRoutingEncoderFactory"/> → <see cref="NeighbourhoodRouting"/>:
///   DisenGCN's neighbourhood routing (Ma et al., ICML 2019, Algorithm 1).</item>
///   <item>"intent-routing" — <see cref="IntentRoutingEncoderFactory"/> → <see cref="IntentRouting"/>:
///   DGCF's intent-aware graph disentangling layers (Wang et al., SIGIR 2020, graph disentangling module).</item>
/// </list>
/// <para><b>Methods</b></para>
/// <list type="bullet">
///   <item>"dgcf" — <see cref="DgcfMethod"/>: ego embeddings routed by the encoder slot (default
///   intent-routing), BPR + L2 + the distance-correlation independence loss
///   (<see cref="DistanceCorrelation"/>). Adds the run analysis "intents"
///   (<see cref="EdgeIntents"/>: each training edge's dominant channel against its item's category).</item>
/// </list>
/// <para>Both encoders hand out their routing (<see cref="RoutingEncoder.Route"/>), which is what the
/// analysis and the independence loss read; DGCF takes either.</para>
/// </remarks>
public static class DisenGraphPlugin
{
    public const string DisenRouting = "disen-routing";
    public const string IntentRouting = "intent-routing";
    public const string Dgcf = "dgcf";
    public const string IntentsAnalysis = "intents";

    public const string DisenGcnCitation =
        "Jianxin Ma, Peng Cui, Kun Kuang, Xin Wang, Wenwu Zhu. Disentangled Graph Convolutional Networks. ICML 2019.";
    public const string DgcfCitation =
        "Xiang Wang, Hongye Jin, An Zhang, Xiangnan He, Tong Xu, Tat-Seng Chua. Disentangled Graph Collaborative Filtering. SIGIR 2020.";
}
