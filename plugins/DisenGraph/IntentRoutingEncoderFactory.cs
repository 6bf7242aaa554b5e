using System.Composition;
using Untangle.Contracts.Components;
using Untangle.Contracts.Settings;

namespace Untangle.Plugins.DisenGraph;

/// <summary>
/// Exports the "intent-routing" graph encoder: DGCF's intent-aware graph disentangling layers
/// (<see cref="IntentRouting"/>), with the official command's defaults (4 intents, 2 iterations,
/// 1 layer: the README's <c>--n_factors 4 --n_iterations 2 --n_layers 1</c>). Configured as
/// hyper.&lt;slot&gt;.intents, .iterations and .layers; it fits any "encoder" slot.
/// </summary>
[ExportComponent(ComponentKind.Encoder, DisenGraphPlugin.IntentRouting,
    Description = "DGCF intent routing: K intent-aware graphs whose edge weights are a softmax over intents, refined by T iterations, mean over layers",
    Citation = DisenGraphPlugin.DgcfCitation)]
[Shared]
public sealed class IntentRoutingEncoderFactory : IEncoderFactory
{
    public IReadOnlyList<SettingSpec> Settings { get; } =
    [
        SettingSpec.Int("intents", 4, "K, latent intents (chunks of the embedding); must divide the embedding size").Positive(),
        SettingSpec.Int("iterations", 2, "T, routing iterations per layer").Positive(),
        SettingSpec.Int("layers", 1, "graph disentangling layers; the output is the mean of the ego embeddings and every layer's").Positive(),
    ];

    public IEncoder Create(ComponentContext context) => new IntentRouting(
        context.Settings.Int("intents"), context.Settings.Int("iterations"), context.Settings.Int("layers"));
}
