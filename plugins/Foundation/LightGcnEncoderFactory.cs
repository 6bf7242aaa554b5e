using System.Composition;
using Untangle.Contracts.Components;
using Untangle.Contracts.Settings;

namespace Untangle.Plugins.Foundation;

/// <summary>
/// Exports the "lightgcn" graph encoder: <see cref="LightGcnPropagation"/>, the mean of the ego
/// embeddings and L layers of Â-propagation (He et al., SIGIR 2020, eq. 7-8). Configured as
/// hyper.&lt;slot&gt;.layers.
/// </summary>
[ExportComponent(ComponentKind.Encoder, FoundationPlugin.LightGcnEncoder,
    Description = "LightGCN propagation: mean of E0..EL with E(l+1) = A_hat E(l); no weights, no non-linearity",
    Citation = FoundationPlugin.LightGcnCitation)]
[Shared]
public sealed class LightGcnEncoderFactory : IEncoderFactory
{
    public IReadOnlyList<SettingSpec> Settings { get; } =
    [
        SettingSpec.Int("layers", 3, "number of propagation layers L (the paper's default is 3; 0 gives plain matrix factorisation)"),
    ];

    public IEncoder Create(ComponentContext context)
    {
        int layers = context.Settings.Int("layers");
        if (layers < 0)
            throw new ArgumentException($"hyper.{context.Slot}.layers: '{layers}' is not valid; expected an integer >= 0");
        return new LightGcnPropagation(layers);
    }
}
