using System.Composition;
using Microsoft.Extensions.Logging;
using Untangle.Contracts.Analysis;
using Untangle.Contracts.Components;
using Untangle.Contracts.Settings;
using Untangle.Contracts.Training;
using Untangle.Plugins.Foundation;
using static TorchSharp.torch;

namespace Untangle.Plugins.DisenGraph;

/// <summary>
/// DGCF (Wang, Jin, Zhang, He, Xu, Chua, "Disentangled Graph Collaborative Filtering", SIGIR 2020):
/// ego embeddings cut into K intent chunks, propagated over K intent-aware graphs whose edge weights
/// are routed iteratively (slot "encoder", default <see cref="IntentRouting"/>, over slot "graph"),
/// trained with BPR on the propagated rows, L2 on the batch's ego rows, and a distance-correlation
/// loss that makes the intent chunks independent (its independence modeling module):
/// <code>
///     L = −mean ln σ(ŷ_ui − ŷ_uj) + λ · (‖e_u‖² + ‖e_i‖² + ‖e_j‖²) / 2 / batch + β · L_ind
/// </code>
/// Defaults are the official README's command (xiangwang1223/disentangled_graph_collaborative_filtering:
/// <c>--batch_size 2000 --n_layers 1 --n_iterations 2 --corDecay 0.01 --n_factors 4 --lr 0.001</c>,
/// embed_size 64, regs[0] = 1e-3), with Xavier-uniform embeddings and Adam, as DGCF_v1/DGCF.py.
/// </summary>
/// <remarks>
/// <para>
/// <b>The independence batch</b> (official <c>sample_cor_samples</c>): every step draws, without
/// replacement, m users and m items, m = ⌊max(U, I) / n_batch⌋ with n_batch = ⌊n_train / batch⌋ + 1,
/// and applies <see cref="DistanceCorrelation.IntentLoss"/> to their propagated rows stacked
/// (users over items). The draw uses the run's random source, so it is checkpointed with the run.
/// </para>
/// <para><b>Departures from the official code, each named</b></para>
/// <list type="bullet">
///   <item>Triples come from the engine: one (user, positive, negative) per training interaction per
///   epoch, in shuffled batches. The official sampler draws batch-size users uniformly each step, then
///   one positive and one negative each; both give n_train / batch steps an epoch.</item>
///   <item>Model selection and early stopping are on the validation split (train.patience); the
///   official script stops and selects on test recall@20.</item>
///   <item>The graph is the "graph" slot's edge pattern (the "user-item" builder: the plain bipartite
///   A without self-loops, as the official <c>plain_adj</c>); isolated nodes get zero rows, not NaN.</item>
///   <item>K is read from the encoder, so the routing and the independence loss always agree; the
///   encoder must be a routing encoder ("intent-routing" or DisenGCN's "disen-routing").</item>
/// </list>
/// </remarks>
[ExportComponent(ComponentKind.Method, DisenGraphPlugin.Dgcf,
    Description = "Disentangled graph collaborative filtering: intent-aware routed graphs, BPR, and distance correlation between intent chunks",
    Citation = DisenGraphPlugin.DgcfCitation)]
[Shared]
public sealed class DgcfMethod : IMethod
{
    public MethodDeclaration Declare() => new()
    {
        BatchKind = BatchKind.Triples,
        Slots =
        [
            LightGcnSlots.GraphSlot("the (users + items) square graph whose edges the intents are routed over; only its edge pattern is used"),
            new Slot(LightGcnSlots.Encoder, ComponentKind.Encoder, DisenGraphPlugin.IntentRouting,
                "the routing encoder (K channels, per-edge routing): intent-routing (DGCF) or disen-routing (DisenGCN)"),
        ],
        HyperParameters =
        [
            SettingSpec.Int("embedding_size", 64, "dimension d of the user and item embeddings (embed_size); K intents of d/K each").Positive(),
            SettingSpec.Float("reg_weight", 1e-3, "L2 weight on the batch's ego embeddings (regs[0]), reg * (|u|^2 + |i|^2 + |j|^2) / 2 / batch").AtLeast(0),
            SettingSpec.Float("cor_weight", 0.01, "weight beta of the distance-correlation independence loss (corDecay; 0 turns it off)").AtLeast(0),
            SettingSpec.Float("learning_rate", 1e-3, "Adam learning rate (lr)").Positive(),
        ],
        FoldsInUsers = false,
    };

    public TrainingGraph Build(MethodContext context)
    {
        var hyper = context.Hyper;
        var split = context.Split;
        var builder = context.Create<IGraphBuilder>("graph");
        var encoder = context.Create<IGraphEncoder>("encoder") as RoutingEncoder
            ?? throw new ArgumentException(
                $"components.encoder: '{context.ComponentIn("encoder")}' has no channels; dgcf needs a routing encoder ({DisenGraphPlugin.IntentRouting} or {DisenGraphPlugin.DisenRouting})");
        int size = hyper.Int("embedding_size");
        if (size % encoder.Channels != 0)
            throw new ArgumentException(
                $"hyper.embedding_size: {size} does not split into the encoder's {encoder.Channels} channels; choose a multiple of {encoder.Channels}");
        var adjacency = builder.Build(new GraphInput { Interactions = split.Train, Device = context.Device });
        var ego = UserItemEmbeddings.XavierUniform(split.UserCount, split.ItemCount, size, context.Random, context.Device);
        var model = new LightGcnModel(ego, encoder, adjacency);

        double corWeight = hyper.Float("cor_weight");
        var independence = new IndependenceBatch(split.UserCount, split.ItemCount, split.Train.Count, context.BatchSize, context.Random, context.Device);
        var graph = LightGcnTraining.Graph(model, hyper.Float("reg_weight"), hyper.Float("learning_rate"), DisenGraphPlugin.Dgcf,
            corWeight == 0 ? null : (step, users, items) =>
            {
                var (corUsers, corItems) = independence.Draw();
                var rows = cat([users.index_select(0, corUsers), items.index_select(0, corItems)], 0);
                var cor = DistanceCorrelation.IntentLoss(rows, encoder.Channels);
                step.Record("cor", cor);
                return cor.Times(corWeight);
            });

        if (context.Dataset.ItemCategories is { } categories)
        {
            var truth = ItemCategoryLabels.Of(categories, split.ItemToDataset);
            int seed = context.Seed, userCount = split.UserCount;
            graph = graph with
            {
                Analyses =
                [
                    new RunAnalysis(DisenGraphPlugin.IntentsAnalysis, () =>
                    {
                        using var all = model.Ego.All();
                        return EdgeIntents.Measure(encoder, model.Graph, all, userCount, truth, seed);
                    }),
                ],
            };
        }
        else
        {
            context.Logger.LogInformation("data set {Dataset} has no item categories: no '{Analysis}' analysis",
                context.Dataset.Name, DisenGraphPlugin.IntentsAnalysis);
        }
        return graph;
    }
}
