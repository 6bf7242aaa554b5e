using TorchSharp;
using System.Composition;
using Untangle.Contracts.Components;
using Untangle.Contracts.Training;
using static TorchSharp.torch;

namespace Untangle.Plugins.VaeCF;

/// <summary>
/// MultDAE (Liang et al., WWW 2018, sec. 2.3): <see cref="MultDaeModel"/> trained on the multinomial
/// negative log-likelihood of the batch's rows plus λ·ΣW² with λ = lam / batch_size (the reference
/// code adds 2 · l2_regularizer(λ) = λ·ΣW²), with Adam. Scores a user from any row of known items
/// (training or fold-in), so held-out users need no training.
/// </summary>
[ExportComponent(ComponentKind.Method, VaeCfPlugin.MultDae,
    Description = "Denoising autoencoder with a multinomial likelihood over items (Mult-DAE)",
    Citation = VaeCfPlugin.Citation)]
[Shared]
public sealed class MultDaeMethod : IMethod
{
    public MethodDeclaration Declare() => new()
    {
        BatchKind = BatchKind.UserRows,
        HyperParameters = MultDaeHyperParameters.Specs,
        FoldsInUsers = true,
    };

    public TrainingGraph Build(MethodContext context)
    {
        var hyper = MultDaeHyperParameters.Read(context.Hyper);
        using var generator = new Generator((ulong)context.Random.NextInt64(), CPU);
        var model = new MultDaeModel(context.Split.ItemCount, hyper.HiddenDims, hyper.LatentDim, hyper.DropoutKeep, generator);
        return AutoencoderRecipe.Build(context, model, "dae", hyper.Lambda, hyper.LearningRate,
            $"the latent layer's tanh activations, {hyper.LatentDim} dims", (step, rows) =>
            {
                var nll = MultinomialLikelihood.NegativeLogLikelihood(model.Logits(rows), rows);
                step.Record("nll", nll);
                return nll;
            });
    }
}
