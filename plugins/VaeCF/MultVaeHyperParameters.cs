using Untangle.Contracts.Settings;

namespace Untangle.Plugins.VaeCF;

/// <summary>
/// β-MultVAE's hyper-parameters with the reference notebook's values (dawenl/vae_cf,
/// VAE_ML20M_WWW2018.ipynb: <c>MultiVAE(p_dims=[200, 600, n_items], lam=0.0)</c>, keep 0.5,
/// total_anneal_steps = 200000, anneal_cap = 0.2, Adam 1e-3). Batch size (500) and epochs (200)
/// are train.batch_size and train.epochs. anneal_epochs (Untangle's, off by default) states the
/// annealing length in epochs instead, so that a schedule keeps its shape on data of another size.
/// </summary>
public sealed record MultVaeHyperParameters(
    int[] HiddenDims, int LatentDim, double DropoutKeep, double AnnealCap, int TotalAnnealSteps, double AnnealEpochs, double Lambda, double LearningRate)
{
    /// <summary>
    /// The steps over which β would grow from 0 to 1: anneal_epochs × <paramref name="batchesPerEpoch"/>
    /// when anneal_epochs is set, total_anneal_steps otherwise.
    /// </summary>
    public double AnnealSteps(int batchesPerEpoch) => AnnealEpochs > 0 ? AnnealEpochs * batchesPerEpoch : TotalAnnealSteps;

    public static IReadOnlyList<SettingSpec> Specs { get; } =
    [
        SettingSpec.IntList("hidden_dims", [600], "widths of the hidden layers between the items and the latent layer, mirrored in the decoder").Positive(),
        SettingSpec.Int("latent_dim", 200, "dimension of z (the encoder's last layer has 2 * latent_dim outputs: mu and log-variance)").Positive(),
        SettingSpec.Float("dropout_keep", 0.5, "keep probability of the input dropout on the normalised rows (training only)").Within(0, 1, minExclusive: true),
        SettingSpec.Float("anneal_cap", 0.2, "the largest KL weight beta reached by annealing").AtLeast(0),
        SettingSpec.Int("total_anneal_steps", 200000, "optimisation steps over which beta grows linearly from 0 (beta = min(anneal_cap, step / total_anneal_steps)); 0: beta = anneal_cap throughout; not used when anneal_epochs is set").AtLeast(0),
        SettingSpec.Float("anneal_epochs", 0, "the annealing length in epochs instead of steps: beta = min(anneal_cap, step / (anneal_epochs * batches per epoch)); 854.7 is the reference's 200000 steps on ML-20M (234 batches of 500 users), cap reached at epoch 171 of 200; 0: total_anneal_steps decides").AtLeast(0),
        SettingSpec.Float("lam", 0.0, "L2 weight before division by train.batch_size: the loss adds (lam / batch_size) * sum of squared weights (0 in the reference MultVAE)").AtLeast(0),
        SettingSpec.Float("learning_rate", 1e-3, "Adam learning rate").Positive(),
    ];

    public static MultVaeHyperParameters Read(SettingValues hyper)
    {
        var p = new MultVaeHyperParameters(hyper.IntList("hidden_dims"), hyper.Int("latent_dim"), hyper.Float("dropout_keep"),
            hyper.Float("anneal_cap"), hyper.Int("total_anneal_steps"), hyper.Float("anneal_epochs"), hyper.Float("lam"), hyper.Float("learning_rate"));
        return p;
    }
}
