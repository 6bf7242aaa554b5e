using System.Composition;
using Untangle.Contracts.Components;
using Untangle.Contracts.Settings;

namespace Untangle.Plugins.MacridVae;

/// <summary>
/// Exports "macrid-encoder" (<see cref="ConceptEncoder"/>). The method passes "items" (int, M),
/// "dim" (int, d) and optionally "random" (a seeded System.Random for the initial weights).
/// </summary>
[ExportComponent(ComponentKind.Encoder, MacridVaePlugin.ConceptEncoderName,
    Description = "MacridVAE's encoder shared by all concepts: items -> d (tanh) -> 2d, sparse first layer",
    Citation = MacridVaePlugin.Citation)]
[Shared]
public sealed class ConceptEncoderFactory : IEncoderFactory
{
    public IReadOnlyList<SettingSpec> Settings { get; } = [];

    public IEncoder Create(ComponentContext context)
    {
        int items = context.Argument<int>("items");
        int dim = context.Argument<int>("dim");
        using var generator = ComponentRandom.Generator(context);
        return new ConceptEncoder(items, dim, generator);
    }
}
