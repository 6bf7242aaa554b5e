using System.Composition;
using Untangle.Contracts.Components;
using Untangle.Contracts.Settings;
using Untangle.Plugins.VaeCF;
using static TorchSharp.torch;

namespace Untangle.Plugins.MacridVae;

/// <summary>
/// Exports "concept-assignment" (<see cref="ConceptAssignment"/>). The method passes the shapes and
/// the temperature it shares with its decoder as arguments: "dim" (int, width of the item
/// representations), "concepts" (int, K), "tau" (double, τ), and optionally "random" (a seeded
/// System.Random for the prototypes' initialisation; torch's global generator otherwise). The
/// relaxation is configured as hyper.&lt;slot&gt;.gumbel and hyper.&lt;slot&gt;.gumbel_temperature.
/// </summary>
/// <remarks>
/// Exported as an encoder: it maps inputs (item representations) to representations (each item's
/// weights over the concepts), owns parameters (the prototypes) and has a train/eval behaviour, which
/// is what the Encoder kind is for; none of the other kinds (estimator, critic, graph) fits.
/// </remarks>
[ExportComponent(ComponentKind.Encoder, MacridVaePlugin.ConceptAssignmentName,
    Description = "Items to K concepts by cosine to learned prototypes over tau: Gumbel-softmax in training, softmax at evaluation",
    Citation = MacridVaePlugin.Citation)]
[Shared]
public sealed class ConceptAssignmentFactory : IEncoderFactory
{
    public IReadOnlyList<SettingSpec> Settings { get; } =
    [
        SettingSpec.Bool("gumbel", true, "sample a relaxed one-hot assignment (Gumbel-softmax) in training; false: the softmax in training too (the official code's --nogb)"),
        SettingSpec.Float("gumbel_temperature", 1.0, "temperature of the Gumbel-softmax relaxation (1 in the official code)").Positive(),
    ];

    public IEncoder Create(ComponentContext context)
    {
        int dim = context.Argument<int>("dim");
        int concepts = context.Argument<int>("concepts");
        double tau = context.Argument<double>("tau");
        double temperature = context.Settings.Float("gumbel_temperature"); // > 0: a declared range
        using var generator = ComponentRandom.Generator(context);
        return new ConceptAssignment(concepts, dim, tau, context.Settings.Bool("gumbel"), temperature, generator);
    }
}
