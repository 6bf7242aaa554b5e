using TorchSharp;
using Untangle.Contracts.Training;
using static TorchSharp.torch;

namespace Untangle.Plugins.VaeCF;

/// <summary>What MultDAE's and MultVAE's models share: logits and a user code from a batch of rows, the decoder from the code, and ΣW² of the weights.</summary>
public interface IRowAutoencoder
{
    Tensor Logits(SparseRows rows);
    /// <summary>The user's code: the DAE's latent layer, the VAE's μ.</summary>
    Tensor Code(SparseRows rows);
    IReadOnlyList<DecoderOp> Decoder();
    Tensor SquaredWeights();
}

/// <summary>
/// The shape MultDAE and MultVAE share (Liang et al., WWW 2018): one Adam step per batch of user rows on
/// the method's objective plus λ·ΣW² with λ = lam / batch_size (the reference code's
/// 2 · l2_regularizer(λ)), a scorer from any row of known items (so held-out users fold in), the model
/// checkpointed as "model", and the user code as a representation with its decoder.
/// </summary>
public static class AutoencoderRecipe
{
    /// <param name="objective">The method's loss on the batch's rows before the L2 term; it records its own terms.</param>
    public static TrainingGraph Build<TModel>(MethodContext context, TModel model, string stepName, double lam, double learningRate,
        string codeDoc, Func<StepContext, SparseRows, Tensor> objective) where TModel : nn.Module, IRowAutoencoder
    {
        double lambda = lam / context.BatchSize;
        var step = new OptimizationStep
        {
            Name = stepName,
            Parameters = [.. model.parameters()],
            Optimizer = OptimizerSpec.Adam(learningRate),
            Loss = step =>
            {
                var rows = SparseRows.From(step.Batch.SparseRows());
                var loss = objective(step, rows);
                if (lambda == 0) return loss;
                using var lambdaScalar = lambda.ToScalar(); // see StableScalar
                var penalty = model.SquaredWeights().mul(lambdaScalar);
                step.Record("l2", penalty);
                return loss.Plus(penalty);
            },
        };
        return new TrainingGraph
        {
            Steps = [step],
            Scorer = new Scorer(batch => model.Logits(SparseRows.From(batch.SparseKnown()))),
            Modules = new Dictionary<string, nn.Module> { ["model"] = model },
            Representations =
            [
                Representation.Users("users", codeDoc, foldsIn: true, batch => model.Code(SparseRows.From(batch.SparseKnown())))
                    with { Decoder = model.Decoder },
            ],
        };
    }
}
