using Untangle.Contracts.Components;
using Untangle.Contracts.Settings;

namespace Untangle.Plugins.InfoBounds;

/// <summary>
/// The row critic's shape, from the settings both critics share and the method's argument input_dim
/// (the row length I): hidden widths, LeakyReLU slope, batch norm and dropout per hidden layer, and
/// whether the critic losses score real and fake rows in one batch.
/// Defaults are MMSSL's discriminator (specs/mmssl.md) except the slope (see <see cref="RowCritic"/>).
/// </summary>
/// <remarks>
/// <b>Joint batch.</b> With joint_batch (the default) a critic loss scores the real and the fake rows as one
/// batch, so batch norm normalises them with the same statistics. MMSSL's code scores them in two passes
/// (joint_batch = false); in training mode batch norm then standardises each pass on its own and erases
/// any difference between the two batches' feature means, which is what a critic is there to see.
/// </remarks>
public sealed record CriticArchitecture(int InputDim, IReadOnlyList<int> Widths, double LeakySlope, bool BatchNorm, IReadOnlyList<double> Dropouts, bool JointBatch = true)
{
    public static IReadOnlyList<SettingSpec> Specs { get; } =
    [
        SettingSpec.IntList("widths", [], "hidden layer widths; empty: [input_dim/4, input_dim/8] as MMSSL"),
        SettingSpec.Float("leaky_slope", 0.2, "LeakyReLU negative slope; 1 reproduces MMSSL's official code (LeakyReLU(True): identity activations)"),
        SettingSpec.Bool("batch_norm", true, "BatchNorm1d after each hidden activation, as MMSSL"),
        SettingSpec.FloatList("dropout", [0.31, 0.5], "dropout after each hidden layer (one value for all, or one per width; MMSSL: 0.31, 0.5)"),
        SettingSpec.Bool("joint_batch", true, "score real and fake rows in one batch so batch norm sees both; false: two passes, as MMSSL's code"),
    ];

    public static CriticArchitecture Read(ComponentContext context)
    {
        int input = ComponentSettings.Dimension(context, "input_dim");
        var widths = context.Settings.IntList("widths");
        if (widths.Length == 0)
        {
            widths = [input / 4, input / 8];
            if (widths.Any(w => w < 1))
                throw new ArgumentException(
                    $"hyper.{context.Slot}.widths: the default [input_dim/4, input_dim/8] is [{string.Join(",", widths)}] for input_dim = {input}; set explicit widths such as [16,8]");
        }
        else if (widths.Any(w => w < 1))
        {
            throw ComponentSettings.Invalid(context, "widths", widths, "a list of positive integers");
        }

        double slope = context.Settings.Float("leaky_slope");
        if (!double.IsFinite(slope)) throw ComponentSettings.Invalid(context, "leaky_slope", slope, "a finite number");

        var dropout = context.Settings.FloatList("dropout");
        if (dropout.Any(p => !(p >= 0 && p < 1)))
            throw ComponentSettings.Invalid(context, "dropout", dropout, "probabilities in [0, 1)");
        double[] perLayer = dropout.Length switch
        {
            1 => Enumerable.Repeat(dropout[0], widths.Length).ToArray(),
            _ when dropout.Length == widths.Length => dropout,
            _ => throw ComponentSettings.Invalid(context, "dropout", dropout, $"one value or {widths.Length} (one per width {SettingSpec.Format(widths)})"),
        };
        return new CriticArchitecture(input, widths, slope, context.Settings.Bool("batch_norm"), perLayer, context.Settings.Bool("joint_batch"));
    }
}
