using Untangle.Contracts.Components;

namespace Untangle.Plugins.Foundation;

/// <summary>
/// The two slots of a LightGCN backbone, declared once for every method that propagates embeddings
/// over the user-item graph (lightgcn, DCID's and FairMI's LightGCN backbones, MMSSL): "graph" (the
/// normalised adjacency, default user-item) and "encoder" (an <see cref="IGraphEncoder"/>, default
/// lightgcn). Each method says in <paramref name="graphDoc"/> and <paramref name="encoderDoc"/> what the
/// slot does for it; any graph builder or graph encoder fits either, in any of those methods.
/// </summary>
public static class LightGcnSlots
{
    public const string Graph = "graph", Encoder = "encoder";

    public static Slot GraphSlot(string graphDoc) => new(Graph, ComponentKind.GraphBuilder, FoundationPlugin.UserItemGraph, graphDoc);

    public static Slot EncoderSlot(string encoderDoc) => new(Encoder, ComponentKind.Encoder, FoundationPlugin.LightGcnEncoder, encoderDoc);

    /// <summary>Both slots, in the order graph, encoder.</summary>
    public static Slot[] Both(string graphDoc, string encoderDoc) => [GraphSlot(graphDoc), EncoderSlot(encoderDoc)];
}
