using Untangle.Contracts.Settings;

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
        SettingSpec.IntList("hidden_dims", [], "widths of the hidden layers between the items and the latent layer, mirrored in the decoder ([] gives items -> latent -> items, the reference MultDAE)").Positive(),
        SettingSpec.Int("latent_dim", 200, "width of the middle (bottleneck) layer").Positive(),
        SettingSpec.Float("dropout_keep", 0.5, "keep probability of the input dropout on the normalised rows (training only)").Within(0, 1, minExclusive: true),
        SettingSpec.Float("lam", 0.01, "L2 weight before division by train.batch_size: the loss adds (lam / batch_size) * sum of squared weights (biases excluded)").AtLeast(0),
        SettingSpec.Float("learning_rate", 1e-3, "Adam learning rate").Positive(),
    ];

    public static MultDaeHyperParameters Read(SettingValues hyper)
    {
        var p = new MultDaeHyperParameters(hyper.IntList("hidden_dims"), hyper.Int("latent_dim"), hyper.Float("dropout_keep"),
            hyper.Float("lam"), hyper.Float("learning_rate"));
        return p;
    }
}
