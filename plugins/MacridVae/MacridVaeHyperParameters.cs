using Untangle.Contracts.Settings;

namespace Untangle.Plugins.MacridVae;

/// <summary>
/// MacridVAE's hyper-parameters with the official code's defaults (argument parser of its main.py:
/// kfac 7, dfac 100, tau 0.1, beta 0.2, std 0.075, keep 0.5, lr 1e-3, rg 0; annealing over
/// 5 × batches per epoch). Epochs (200) and batch size (500) are train.epochs and train.batch_size.
/// </summary>
public sealed record MacridVaeHyperParameters(
    int Concepts, int Dim, double Tau, double Beta, double Std0, double DropoutKeep, double AnnealEpochs, double Reg, double LearningRate)
{
    public static IReadOnlyList<SettingSpec> Specs { get; } =
    [
        SettingSpec.Int("concepts", 7, "K, the number of concepts (prototypes); 7 in the original code (a later copy sets 100)").AtLeast(1),
        SettingSpec.Int("dim", 100, "d, the width of the item embeddings, prototypes and each concept's z_k").AtLeast(1),
        SettingSpec.Float("tau", 0.1, "temperature of the cosine similarities, in the concept assignment and the decoder").Positive(),
        SettingSpec.Float("beta", 0.2, "the KL weight that annealing reaches").AtLeast(0),
        SettingSpec.Float("std0", 0.075, "sigma0, the prior's standard deviation: sigma_k = sigma0 * exp(0.5 * lambda_k)").Positive(),
        SettingSpec.Float("dropout_keep", 0.5, "keep probability of the dropout on each concept's normalised input (training only)").Within(0, 1, minExclusive: true),
        SettingSpec.Float("anneal_epochs", 5, "sets the KL weight's slope: anneal = min(beta, step / (anneal_epochs * batches_per_epoch)), so it reaches beta after beta * anneal_epochs epochs (1 with the defaults); 0: beta from the start").AtLeast(0),
        SettingSpec.Float("reg", 0.0, "L2 weight: the loss adds reg * sum of squares of W0, W1, the item embeddings and the prototypes (the official code's rg)").AtLeast(0),
        SettingSpec.Float("learning_rate", 1e-3, "Adam learning rate").Positive(),
    ];

    public static MacridVaeHyperParameters Read(SettingValues hyper)
    {
        var p = new MacridVaeHyperParameters(hyper.Int("concepts"), hyper.Int("dim"), hyper.Float("tau"), hyper.Float("beta"),
            hyper.Float("std0"), hyper.Float("dropout_keep"), hyper.Float("anneal_epochs"), hyper.Float("reg"), hyper.Float("learning_rate"));
        return p;
    }
}
