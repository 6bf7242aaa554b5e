using System.Composition;
using Untangle.Contracts.Components;
using Untangle.Contracts.Settings;

namespace Untangle.Plugins.InfoBounds;

/// <summary>
/// Exports "learned-infonce": <see cref="LearnedInfoNceBound"/>, InfoNCE with a trainable critic.
/// Arguments x_dim and y_dim (the widths of x and y, which may differ). It owns parameters, so it goes
/// into a slot the engine fits (an estimator slot's default) or one the method trains.
/// </summary>
[ExportComponent(ComponentKind.MutualInformationEstimator, InfoBoundsPlugin.LearnedInfoNce,
    Description = "InfoNCE lower bound on I(x; y) (or I(x; y | s) with a condition) in nats with a learned bilinear or separable-MLP critic, fitted on its own loss",
    Citation = InfoBoundsPlugin.VariationalBoundsCitation)]
[Shared]
public sealed class LearnedInfoNceFactory : IMutualInformationEstimatorFactory
{
    public IReadOnlyList<SettingSpec> Settings { get; } =
    [
        SettingSpec.String("critic", "bilinear", "the critic f(x, y): bilinear (xᵀ W y) or separable (g(x)ᵀ h(y), one-hidden-layer ReLU MLPs)"),
        SettingSpec.Int("hidden_size", 64, "the separable critic's hidden width").AtLeast(1),
        SettingSpec.Int("embedding_size", 32, "the separable critic's output width (g and h map into it)").AtLeast(1),
        SettingSpec.Bool("bidirectional", false, "average the x→y and y→x bounds"),
    ];

    public bool Learns(SettingValues settings) => true;

    public IMutualInformationEstimator Create(ComponentContext context)
    {
        var form = context.Settings.String("critic").ToLowerInvariant() switch
        {
            "bilinear" => CriticForm.Bilinear,
            "separable" or "mlp" => CriticForm.Separable,
            var other => throw ComponentSettings.Invalid(context, "critic", other, "bilinear or separable"),
        };
        var critic = new LearnedCritic(form,
            ComponentSettings.Dimension(context, "x_dim"), ComponentSettings.Dimension(context, "y_dim"),
            context.Settings.Int("hidden_size"), context.Settings.Int("embedding_size"), context.Device);
        return new LearnedInfoNceBound(critic, context.Settings.Bool("bidirectional"));
    }
}
