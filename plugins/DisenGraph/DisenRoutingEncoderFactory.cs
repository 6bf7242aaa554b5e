using System.Composition;
using Untangle.Contracts.Components;
using Untangle.Contracts.Settings;

namespace Untangle.Plugins.DisenGraph;

/// <summary>
/// Exports the "disen-routing" graph encoder: L layers of DisenGCN's neighbourhood routing
/// (<see cref="NeighbourhoodRouting"/>). Configured as hyper.&lt;slot&gt;.channels, .iterations,
/// .layers and .temperature; it fits any "encoder" slot (lightgcn, FairMI's LightGCN, DCID, MMSSL, dgcf).
/// </summary>
[ExportComponent(ComponentKind.Encoder, DisenGraphPlugin.DisenRouting,
    Description = "DisenGCN neighbourhood routing: K channels per node, T iterations routing each edge to the channel whose neighbour chunk agrees with the node's",
    Citation = DisenGraphPlugin.DisenGcnCitation)]
[Shared]
public sealed class DisenRoutingEncoderFactory : IEncoderFactory
{
    public IReadOnlyList<SettingSpec> Settings { get; } =
    [
        SettingSpec.Int("channels", 4, "K, channels per node; must divide the embedding size").Positive(),
        SettingSpec.Int("iterations", 6, "T, routing iterations per layer (6: routit's default in the DisenGCN code lineage)").Positive(),
        SettingSpec.Int("layers", 1, "routing layers; the last layer's output is the encoder's").Positive(),
        SettingSpec.Float("temperature", 1.0, "tau of the routing softmax over channels (1 in the official code)").Positive(),
    ];

    public IEncoder Create(ComponentContext context) => new NeighbourhoodRouting(
        context.Settings.Int("channels"), context.Settings.Int("iterations"), context.Settings.Int("layers"),
        context.Settings.Float("temperature"));
}
