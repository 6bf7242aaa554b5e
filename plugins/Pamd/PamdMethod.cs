using System.Composition;
using Untangle.Contracts.Components;
using Untangle.Contracts.Training;
using Untangle.Plugins.Foundation;
using Untangle.Plugins.InfoBounds;
using static TorchSharp.torch;

namespace Untangle.Plugins.Pamd;

/// <summary>
/// "pamd": PAMD (Han et al., WWW 2022; official code hantengyue/PAMD; specs/dcid-pamd.md). Build runs
/// the engine phase that pretrains the modality-disentangled item encoders on the items (<see cref="ItemPretraining"/>), then
/// returns the graph that trains the recommender (<see cref="PamdRecommender"/>) with the encoders
/// fine-tuned:
/// <code>
///   recommend (every batch):  pointwise log loss (or BPR) over the user and item ID embeddings, Adam 1e-3
///   finetune  (every batch):  the same loss over the pretrained encoders, Adam 1e-4
/// </code>
/// Slot "separation" (default "orthogonality", PAMD's L_ort; "club" or "club-sample" swap in CLUB,
/// whose q network is then fitted during pretraining on hyper.separation_schedule).
/// </summary>
/// <remarks>
/// <para><b>Two learning rates, two steps.</b> The official code gives Adam two parameter groups; an
/// engine step has one optimizer, so the encoders get a step of their own on the same batch, declared
/// after the embeddings' step. The second step recomputes the loss after the embeddings' update, an
/// alternating update where the official code updates both groups from one gradient; with
/// finetune_learning_rate = 0 the encoders are frozen and the step is left out.</para>
/// <para><b>Analyses.</b> "pretraining": the last pretraining epoch's loss terms. "disentanglement" and
/// "transfer" (<see cref="DisentanglementAnalysis"/>, <see cref="TransferAnalysis"/>) on the best model,
/// and the same with the prefix "pretrained." on the encoders as pretraining left them.</para>
/// </remarks>
[ExportComponent(ComponentKind.Method, PamdPlugin.Pamd,
    Description = "PAMD: per-modality item encoders pretrained to split common (L_sim) and specific (orthogonality slot) parts with contrastive cross-modal decoders; user-attention over the four parts added to the item ID embedding, pointwise loss",
    Citation = PamdPlugin.Citation)]
[Shared]
public sealed class PamdMethod : IMethod
{
    public const string SeparationSlot = "separation";

    public MethodDeclaration Declare() => new()
    {
        BatchKind = BatchKind.Triples,
        Slots =
        [
            new Slot(SeparationSlot, ComponentKind.MutualInformationEstimator, InfoBoundsPlugin.Orthogonality,
                "the term that pushes s_v and s_t apart in pretraining, Estimate(s_v, s_t), minimised (orthogonality: PAMD's L_ort; club/club-sample: CLUB)")
            {
                Training = SlotTraining.Method, // pretraining fits a network of its own on hyper.separation_schedule (ItemPretraining)
            },
        ],
        HyperParameters = PamdHyperParameters.Specs,
        FoldsInUsers = false,
    };

    public TrainingGraph Build(MethodContext context)
    {
        var hyper = PamdHyperParameters.Read(context.Hyper);
        var split = context.Split;
        int d = hyper.EmbeddingSize;
        var items = ItemModalities.Read(context.Dataset, split, hyper.ModalityV, hyper.ModalityT, context.Device);

        var encoders = new DisentangledEncoders(items.WidthV, items.WidthT, d, context.Device);
        var decoders = new CrossModalDecoders(items.WidthV, items.WidthT, d, context.Device);
        var separation = hyper.UseEncoderLosses && hyper.SeparationWeight > 0
            ? context.Create<IMutualInformationEstimator>(SeparationSlot, new Dictionary<string, object> { ["x_dim"] = d, ["y_dim"] = d })
            : null;
        var objective = new PretrainingObjective(encoders, decoders, separation, hyper);
        var pretraining = ItemPretraining.Summary(context.RunPhase(ItemPretraining.Phase(objective, encoders, decoders, separation, items, hyper, context.Random)));
        var pretrained = PartsSnapshot.Take(encoders, items);

        var embeddings = new UserItemEmbeddings(split.UserCount, split.ItemCount, d, hyper.InitStd, context.Random, context.Device);
        var recommender = new PamdRecommender(embeddings, encoders, items);
        foreach (var p in decoders.parameters()) p.requires_grad = false; // pretraining only
        foreach (var p in separation?.Module?.parameters() ?? []) p.requires_grad = false; // likewise

        Tensor Loss(StepContext step, bool record)
        {
            var batch = step.Batch;
            var positive = recommender.RowScores(batch.Users, batch.Positives!);
            var negative = recommender.RowScores(batch.Users, batch.Negatives!);
            var loss = PointwiseObjective.Loss(hyper.Objective, positive, negative);
            if (record) step.Record(hyper.Objective == RecommendationObjective.Pointwise ? "pointwise" : "bpr", loss);
            return loss;
        }
        var steps = new List<OptimizationStep>
        {
            new()
            {
                Name = "recommend",
                Parameters = embeddings.parameters().ToList(),
                // No row-read Tables: the official Adam weight decay (hyper.weight_decay, 1e-5) moves every
                // row on every step, so the tables' update is dense by definition (train.row_updates).
                Optimizer = OptimizerSpec.Adam(hyper.LearningRate, hyper.WeightDecay),
                Loss = step => Loss(step, record: true),
            },
        };
        if (hyper.FinetuneLearningRate > 0)
            steps.Add(new OptimizationStep
            {
                Name = "finetune",
                Parameters = encoders.parameters().ToList(),
                Optimizer = OptimizerSpec.Adam(hyper.FinetuneLearningRate, hyper.WeightDecay),
                Loss = step => Loss(step, record: false),
            });
        else
            foreach (var p in encoders.parameters()) p.requires_grad = false;

        var dataset = context.Dataset;
        return new TrainingGraph
        {
            Steps = steps,
            Scorer = new Scorer(batch =>
            {
                TrainedUsers.Require(batch.Users, PamdPlugin.Pamd);
                return recommender.ScoreAll(batch.Users);
            }),
            Modules = new Dictionary<string, nn.Module> { ["embeddings"] = embeddings, ["encoders"] = encoders, ["decoders"] = decoders },
            Analyses =
            [
                new RunAnalysis("pretraining", () => pretraining),
                new RunAnalysis("disentanglement", () =>
                {
                    var final = PartsSnapshot.Take(encoders, items);
                    return Merge(
                        DisentanglementAnalysis.Compute(final, dataset, split, context.Seed, context.Logger),
                        DisentanglementAnalysis.Compute(pretrained, dataset, split, context.Seed, context.Logger, "pretrained."));
                }),
                new RunAnalysis("transfer", () =>
                {
                    var final = PartsSnapshot.Take(encoders, items);
                    return Merge(
                        TransferAnalysis.Compute(final, dataset, split, context.Seed, context.Logger),
                        TransferAnalysis.Compute(pretrained, dataset, split, context.Seed, context.Logger, "pretrained."));
                }),
            ],
        };
    }

    private static IReadOnlyDictionary<string, double> Merge(IReadOnlyDictionary<string, double> a, IReadOnlyDictionary<string, double> b) =>
        a.Concat(b).ToDictionary(kv => kv.Key, kv => kv.Value);
}
