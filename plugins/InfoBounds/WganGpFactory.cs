using TorchSharp;
using System.Composition;
using Untangle.Contracts.Components;
using Untangle.Contracts.Settings;

namespace Untangle.Plugins.InfoBounds;

/// <summary>
/// Exports "wgan-gp": <see cref="WganGpCritic"/> on a <see cref="RowCritic"/>. Argument: input_dim (the
/// row length). Settings: <see cref="CriticArchitecture.Specs"/> plus the output transform and λ.
/// Train it with Adam betas (0.5, 0.9) where the optimizer allows (<see cref="WganGpCritic.RecommendedBetas"/>).
/// </summary>
[ExportComponent(ComponentKind.Discriminator, InfoBoundsPlugin.WganGp,
    Description = "WGAN-GP row critic (MMSSL's MLP: LeakyReLU, batch norm, dropout, 100*sigmoid output) with the gradient penalty on interpolates",
    Citation = InfoBoundsPlugin.WganGpCitation)]
[Shared]
public sealed class WganGpFactory : IDiscriminatorFactory
{
    public IReadOnlyList<SettingSpec> Settings { get; } =
    [
        .. CriticArchitecture.Specs,
        SettingSpec.Bool("sigmoid_output", true, "D = output_scale * sigmoid(net) as MMSSL; false: D = net (the paper's unbounded critic)"),
        SettingSpec.Float("output_scale", 100, "the factor on the sigmoid output (MMSSL: 100)").Positive(),
        SettingSpec.Float("gp_weight", 10, "λ on the gradient penalty (Gulrajani et al.: 10; MMSSL's effective value: 0.3)").AtLeast(0),
    ];

    /// <summary>It owns a network (q_θ or the critic), which its slot must train.</summary>
    public bool Learns(SettingValues settings) => true;

    public IDiscriminator Create(ComponentContext context)
    {
        var shape = CriticArchitecture.Read(context);
        // output_scale > 0 and gp_weight >= 0 are declared ranges, checked by the resolver.
        double scale = context.Settings.Float("output_scale");
        double lambda = context.Settings.Float("gp_weight");
        var net = new RowCritic(shape);
        net.to(context.Device);
        return new WganGpCritic(net, context.Settings.Bool("sigmoid_output"), scale, lambda);
    }
}
