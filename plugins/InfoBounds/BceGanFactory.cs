using TorchSharp;
using System.Composition;
using Untangle.Contracts.Components;
using Untangle.Contracts.Settings;

namespace Untangle.Plugins.InfoBounds;

/// <summary>Exports "gan-bce": <see cref="BceGanCritic"/> on a <see cref="RowCritic"/>. Argument: input_dim. Settings: <see cref="CriticArchitecture.Specs"/>.</summary>
[ExportComponent(ComponentKind.Discriminator, InfoBoundsPlugin.GanBce,
    Description = "Plain GAN row critic trained with binary cross-entropy (non-saturating generator loss), on the same MLP as wgan-gp",
    Citation = InfoBoundsPlugin.GanCitation)]
[Shared]
public sealed class BceGanFactory : IDiscriminatorFactory
{
    public IReadOnlyList<SettingSpec> Settings => CriticArchitecture.Specs;

    /// <summary>It owns a network (q_θ or the critic), which its slot must train.</summary>
    public bool Learns(SettingValues settings) => true;

    public IDiscriminator Create(ComponentContext context)
    {
        var net = new RowCritic(CriticArchitecture.Read(context));
        net.to(context.Device);
        return new BceGanCritic(net);
    }
}
