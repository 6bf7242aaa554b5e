using TorchSharp;
using Untangle.Contracts.Components;
using Untangle.Contracts.Settings;

namespace Untangle.Plugins.InfoBounds;

/// <summary>
/// The settings "club" and "club-sample" share (hyper.&lt;slot&gt;.&lt;name&gt;), and the q_θ network they build
/// from them and the method's arguments x_dim and y_dim.
/// </summary>
internal static class ClubSettings
{
    public static IReadOnlyList<SettingSpec> Specs { get; } =
    [
        SettingSpec.Int("hidden_size", 256, "h: q(y|x)'s MLPs are h/2 wide (FairMI: 256; the CLUB Gaussian notebook: 15)").AtLeast(2),
        SettingSpec.Int("hidden_layers", 1, "hidden layers of width h/2 in each MLP (official CLUB and FairMI: 1; DCID: 3 of 128)").AtLeast(0),
        SettingSpec.Bool("clamp_at_zero", false, "clamp the estimate at 0 from below, as FairMI's CLUBSample"),
    ];

    public static (GaussianConditional Q, bool ClampAtZero) Read(ComponentContext context)
    {
        int xDim = ComponentSettings.Dimension(context, "x_dim");
        int yDim = ComponentSettings.Dimension(context, "y_dim");
        // hidden_size >= 2 and hidden_layers >= 0 are declared ranges, checked by the resolver.
        int hidden = context.Settings.Int("hidden_size");
        int layers = context.Settings.Int("hidden_layers");
        var q = new GaussianConditional(xDim, yDim, hidden, layers);
        q.to(context.Device);
        return (q, context.Settings.Bool("clamp_at_zero"));
    }
}
