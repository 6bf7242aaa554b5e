using Untangle.Contracts.Settings;
using static Untangle.Plugins.VaeCF.HyperParameterCheck;

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
        SettingSpec.Int("concepts", 7, "K, the number of concepts (prototypes); 7 in the original code (a later copy sets 100)"),
        SettingSpec.Int("dim", 100, "d, the width of the item embeddings, prototypes and each concept's z_k"),
        SettingSpec.Float("tau", 0.1, "temperature of the cosine similarities, in the concept assignment and the decoder"),
        SettingSpec.Float("beta", 0.2, "the KL weight that annealing reaches"),
        SettingSpec.Float("std0", 0.075, "sigma0, the prior's standard deviation: sigma_k = sigma0 * exp(0.5 * lambda_k)"),
        SettingSpec.Float("dropout_keep", 0.5, "keep probability of the dropout on each concept's normalised input (training only)"),
        SettingSpec.Float("anneal_epochs", 5, "epochs over which the KL weight grows: anneal = min(beta, step / (anneal_epochs * batches_per_epoch)); 0: beta from the start"),
        SettingSpec.Float("reg", 0.0, "L2 weight: the loss adds reg * sum of squares of W0, W1, the item embeddings and the prototypes (the official code's rg)"),
        SettingSpec.Float("learning_rate", 1e-3, "Adam learning rate"),
    ];

    public static MacridVaeHyperParameters Read(SettingValues hyper)
    {
        var p = new MacridVaeHyperParameters(hyper.Int("concepts"), hyper.Int("dim"), hyper.Float("tau"), hyper.Float("beta"),
            hyper.Float("std0"), hyper.Float("dropout_keep"), hyper.Float("anneal_epochs"), hyper.Float("reg"), hyper.Float("learning_rate"));
        Require(p.Concepts >= 1, "hyper.concepts", p.Concepts, "an integer >= 1");
        Require(p.Dim >= 1, "hyper.dim", p.Dim, "an integer >= 1");
        Require(p.Tau > 0, "hyper.tau", p.Tau, "a positive number");
        Require(p.Beta >= 0, "hyper.beta", p.Beta, "a number >= 0");
        Require(p.Std0 > 0, "hyper.std0", p.Std0, "a positive number");
        Require(p.DropoutKeep is > 0 and <= 1, "hyper.dropout_keep", p.DropoutKeep, "a probability in (0, 1]");
        Require(p.AnnealEpochs >= 0, "hyper.anneal_epochs", p.AnnealEpochs, "a number >= 0");
        Require(p.Reg >= 0, "hyper.reg", p.Reg, "a number >= 0");
        Require(p.LearningRate > 0, "hyper.learning_rate", p.LearningRate, "a positive number");
        return p;
    }
}
