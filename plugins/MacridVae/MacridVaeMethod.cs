using System.Composition;
using Microsoft.Extensions.Logging;
using Untangle.Contracts.Analysis;
using Untangle.Contracts.Components;
using Untangle.Contracts.Training;
using Untangle.Plugins.VaeCF;
using TorchSharp;
using static TorchSharp.torch;

namespace Untangle.Plugins.MacridVae;

/// <summary>
/// MacridVAE (Ma et al., NeurIPS 2019): <see cref="MacridVaeModel"/> trained on
/// <code>
///     loss = −(1/B) Σ_u Σ_i x_ui · log_softmax(logits_u)_i + anneal · Σ_k KL_k (+ reg · ΣW²)
///     anneal = min(β, step / (anneal_epochs · batches_per_epoch))        (reaches β after β · anneal_epochs epochs: 1 by default, 0.2 · 5)
/// </code>
/// with Adam, one step per batch of user rows. Slots: "assignment" (default "concept-assignment")
/// and "encoder" (default "macrid-encoder"). Scores a user from any row of known items, at
/// evaluation (softmax assignment, z = μ, no dropout). Adds the run analysis "disentanglement"
/// when the data set has item categories.
/// </summary>
/// <remarks>
/// Departures from the official code: randomness (initial weights, Gumbel noise, dropout masks, ε)
/// comes from the run's seed through torch's generators, not TensorFlow's; the input stays sparse
/// (the official code densifies each batch); the engine owns the loop (shuffle, validate NDCG@100
/// every epoch, keep the best, no early stop when train.patience = 0), and the annealing step is the
/// engine's global batch counter (the official update_count).
/// </remarks>
[ExportComponent(ComponentKind.Method, MacridVaePlugin.MacridVae,
    Description = "Macro-micro disentangled VAE: items assigned to K concepts by prototypes, one shared encoder per concept",
    Citation = MacridVaePlugin.Citation)]
[Shared]
public sealed class MacridVaeMethod : IMethod
{
    public MethodDeclaration Declare() => new()
    {
        BatchKind = BatchKind.UserRows,
        Slots =
        [
            new Slot("assignment", ComponentKind.Encoder, MacridVaePlugin.ConceptAssignmentName,
                "items to concepts: item representations (items x dim) -> assignment (items x concepts), rows summing to 1 (an IRowEncoder)"),
            new Slot("encoder", ComponentKind.Encoder, MacridVaePlugin.ConceptEncoderName,
                "the encoder all concepts share: prepared user rows (rows x items, sparse) -> rows x 2*dim (an IRowEncoder)"),
        ],
        HyperParameters = MacridVaeHyperParameters.Specs,
        FoldsInUsers = true,
    };

    public TrainingGraph Build(MethodContext context)
    {
        var hyper = MacridVaeHyperParameters.Read(context.Hyper);
        int items = context.Split.ItemCount;
        var encoder = context.Create<IRowEncoder>("encoder", new Dictionary<string, object>
        {
            ["items"] = items, ["dim"] = hyper.Dim, ["random"] = context.Random,
        });
        ItemEmbeddings embeddings;
        using (var generator = new Generator((ulong)context.Random.NextInt64(), CPU))
            embeddings = new ItemEmbeddings(items, hyper.Dim, generator);
        var assignment = context.Create<IRowEncoder>("assignment", new Dictionary<string, object>
        {
            ["dim"] = hyper.Dim, ["concepts"] = hyper.Concepts, ["tau"] = hyper.Tau, ["random"] = context.Random,
        });
        var model = new MacridVaeModel(embeddings, assignment, encoder, hyper);
        double annealSteps = hyper.AnnealEpochs * context.BatchesPerEpoch;

        var step = new OptimizationStep
        {
            Name = "elbo",
            Parameters = [.. embeddings.parameters(), .. assignment.Module.parameters(), .. encoder.Module.parameters()],
            Optimizer = OptimizerSpec.Adam(hyper.LearningRate),
            Loss = step =>
            {
                var rows = SparseRows.From(step.Batch.SparseRows());
                var (logits, kl) = model.Forward(rows);
                var nll = MultinomialLikelihood.NegativeLogLikelihood(logits, rows);
                double anneal = KlAnnealing.Weight(step.Batch.GlobalBatch, annealSteps, hyper.Beta);
                step.Record("nll", nll);
                step.Record("kl", kl);
                step.Record("anneal", anneal);
                using var annealScalar = anneal.ToScalar(); // see StableScalar
                var loss = nll.Plus(kl.mul(annealScalar));
                if (hyper.Reg == 0) return loss;
                using var regScalar = hyper.Reg.ToScalar();
                var penalty = model.SquaredWeights().mul(regScalar);
                step.Record("l2", penalty);
                return loss.Plus(penalty);
            },
        };

        var analyses = new List<RunAnalysis>();
        if (context.Dataset.ItemCategories is { } categories)
        {
            var truth = ItemCategoryLabels.Of(categories, context.Split.ItemToDataset);
            int seed = context.Seed;
            analyses.Add(new RunAnalysis(MacridVaePlugin.DisentanglementAnalysis,
                () => CategoryRecovery.Measure(model.ConceptWeights(), truth, seed)));
        }
        else
        {
            context.Logger.LogInformation("data set {Dataset} has no item categories: no '{Analysis}' analysis",
                context.Dataset.Name, MacridVaePlugin.DisentanglementAnalysis);
        }

        return new TrainingGraph
        {
            Steps = [step],
            Scorer = new Scorer(batch => model.Forward(SparseRows.From(batch.SparseKnown())).Logits),
            Modules = new Dictionary<string, nn.Module>
            {
                ["items"] = embeddings, ["assignment"] = assignment.Module, ["encoder"] = encoder.Module,
            },
            Analyses = analyses,
            Representations =
            [
                Representation.Users("users", $"the concept means mu_k side by side, {hyper.Concepts} blocks of {hyper.Dim} dims", foldsIn: true,
                    batch => model.UserCodes(SparseRows.From(batch.SparseKnown())),
                    Enumerable.Range(0, hyper.Concepts).Select(k => new CodeBlock($"concept{k}", k * hyper.Dim, hyper.Dim)).ToList())
                    with { Decoder = model.Decoder, NativeAxes = model.ConceptAxes },
                Representation.Items("items", $"the item embeddings h_i, {hyper.Dim} dims", () => embeddings.Table),
            ],
        };
    }
}
