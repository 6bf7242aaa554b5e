using TorchSharp;
using Microsoft.Extensions.Logging;
using System.Composition;
using Untangle.Contracts.Components;
using Untangle.Contracts.Training;
using static TorchSharp.torch;

namespace Untangle.Plugins.VaeCF;

/// <summary>
/// β-MultVAE (Liang et al., WWW 2018, sec. 2.2.2, eq. 6): <see cref="MultVaeModel"/> trained on the
/// annealed negative ELBO −E[log p(x|z)] + β_t·KL(q(z|x) ‖ N(0, I)) (+ λ·ΣW², λ = lam / batch_size,
/// 0 by default), with β_t = min(anneal_cap, t / total_anneal_steps) (<see cref="KlAnnealing"/>) and
/// Adam. Scoring uses z = μ (no sampling, no dropout), from any row of known items.
/// </summary>
/// <remarks>
/// With the reference defaults (200 000 annealing steps) and MovieLens 100K (about 2 batches of 500
/// users per epoch), β only reaches about 0.002 in 200 epochs: on small data the reference MultVAE
/// is close to an unregularised VAE. That is the reference behaviour and is kept; set
/// hyper.total_anneal_steps to anneal faster, or hyper.anneal_epochs to state the length in epochs
/// (854.7: the reference's schedule on ML-20M, the cap reached at epoch 171 of 200, on any data).
/// </remarks>
[ExportComponent(ComponentKind.Method, VaeCfPlugin.MultVae,
    Description = "Variational autoencoder with a multinomial likelihood and KL annealed to a cap (beta-Mult-VAE)",
    Citation = VaeCfPlugin.Citation)]
[Shared]
public sealed class MultVaeMethod : IMethod
{
    public MethodDeclaration Declare() => new()
    {
        BatchKind = BatchKind.UserRows,
        HyperParameters = MultVaeHyperParameters.Specs,
        FoldsInUsers = true,
    };

    public TrainingGraph Build(MethodContext context)
    {
        var hyper = MultVaeHyperParameters.Read(context.Hyper);
        using var generator = new Generator((ulong)context.Random.NextInt64(), CPU);
        var model = new MultVaeModel(context.Split.ItemCount, hyper.HiddenDims, hyper.LatentDim, hyper.DropoutKeep, generator);
        double annealSteps = hyper.AnnealSteps(context.BatchesPerEpoch);
        if (hyper.AnnealEpochs > 0)
            context.Logger.LogInformation("beta-MultVAE: beta = min({Cap}, step / {Steps}) (hyper.anneal_epochs {Epochs} x {Batches} batches per epoch; hyper.total_anneal_steps is not used)",
                hyper.AnnealCap, annealSteps, hyper.AnnealEpochs, context.BatchesPerEpoch);
        return AutoencoderRecipe.Build(context, model, "elbo", hyper.Lambda, hyper.LearningRate,
            $"mu of q(z|x), {hyper.LatentDim} dims", (step, rows) =>
            {
                var (logits, mu, logVariance) = model.Forward(rows);
                var nll = MultinomialLikelihood.NegativeLogLikelihood(logits, rows);
                var kl = GaussianKl.ToStandardNormal(mu, logVariance);
                double beta = KlAnnealing.Weight(step.Batch.GlobalBatch, annealSteps, hyper.AnnealCap);
                step.Record("nll", nll);
                step.Record("kl", kl);
                step.Record("beta", beta);
                using var betaScalar = beta.ToScalar(); // see StableScalar
                return nll.Plus(kl.mul(betaScalar));
            });
    }
}
