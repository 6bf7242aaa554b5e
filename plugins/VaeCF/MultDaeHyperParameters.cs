using Untangle.Contracts.Settings;
using static Untangle.Plugins.VaeCF.HyperParameterCheck;

namespace Untangle.Plugins.VaeCF;

/// <summary>
/// MultDAE's hyper-parameters with the reference notebook's values (dawenl/vae_cf,
/// VAE_ML20M_WWW2018.ipynb: <c>MultiDAE(p_dims=[200, n_items], lam=0.01 / batch_size)</c>, keep 0.5,
/// Adam 1e-3). Batch size (500 there) and epochs (200) are train.batch_size and train.epochs.
/// </summary>
public sealed record MultDaeHyperParameters(int[] HiddenDims, int LatentDim, double DropoutKeep, double Lambda, double LearningRate)
{
    public static IReadOnlyList<SettingSpec> Specs { get; } =
    [
        SettingSpec.IntList("hidden_dims", [], "widths of the hidden layers between the items and the latent layer, mirrored in the decoder ([] gives items -> latent -> items, the reference MultDAE)"),
        SettingSpec.Int("latent_dim", 200, "width of the middle (bottleneck) layer"),
        SettingSpec.Float("dropout_keep", 0.5, "keep probability of the input dropout on the normalised rows (training only)"),
        SettingSpec.Float("lam", 0.01, "L2 weight before division by train.batch_size: the loss adds (lam / batch_size) * sum of squared weights (biases excluded)"),
        SettingSpec.Float("learning_rate", 1e-3, "Adam learning rate"),
    ];

    public static MultDaeHyperParameters Read(SettingValues hyper)
    {
        var p = new MultDaeHyperParameters(hyper.IntList("hidden_dims"), hyper.Int("latent_dim"), hyper.Float("dropout_keep"),
            hyper.Float("lam"), hyper.Float("learning_rate"));
        Require(p.HiddenDims.All(d => d > 0), "hyper.hidden_dims", p.HiddenDims, "positive layer widths");
        Require(p.LatentDim > 0, "hyper.latent_dim", p.LatentDim, "a positive integer");
        Require(p.DropoutKeep is > 0 and <= 1, "hyper.dropout_keep", p.DropoutKeep, "a probability in (0, 1]");
        Require(p.Lambda >= 0, "hyper.lam", p.Lambda, "a number >= 0");
        Require(p.LearningRate > 0, "hyper.learning_rate", p.LearningRate, "a positive number");
        return p;
    }
}
