using System.Composition;
using Untangle.Contracts.Components;
using Untangle.Contracts.Training;
using static TorchSharp.torch;

namespace Untangle.Plugins.Foundation;

/// <summary>
/// LightGCN (He et al., SIGIR 2020): ego embeddings propagated over the symmetric-normalised
/// user–item graph (slot "graph", default "user-item") by light graph convolution (slot "encoder",
/// default "lightgcn", L = 3), trained with BPR on the batch's final embeddings plus L2 on its ego
/// embeddings (eq. 15 as the reference code gusye1234/LightGCN-PyTorch computes it), with Adam.
/// Defaults from sec. 4.1: d = 64, Adam 1e-3, L2 1e-4, N(0, 0.1²) init (batch 2048 is train.batch_size).
/// </summary>
/// <remarks>
/// The graph is built once at Build() from the training matrix. Each optimisation step propagates
/// the whole graph once (as the reference code); scoring reuses one propagation per evaluation pass,
/// cached in <see cref="LightGcnModel"/> and dropped by the AfterBatch system declared here.
/// </remarks>
[ExportComponent(ComponentKind.Method, FoundationPlugin.LightGcn,
    Description = "Light graph convolution over the user-item graph, trained with BPR",
    Citation = FoundationPlugin.LightGcnCitation)]
[Shared]
public sealed class LightGcnMethod : IMethod
{
    public MethodDeclaration Declare() => new()
    {
        BatchKind = BatchKind.Triples,
        Slots =
        [
            .. LightGcnSlots.Both(
                "the normalised (users + items) square graph the embeddings propagate over",
                "the graph encoder that propagates the ego embeddings (an IGraphEncoder)"),
        ],
        HyperParameters = EmbeddingHyperParameters.Specs,
        FoldsInUsers = false,
    };

    public TrainingGraph Build(MethodContext context)
    {
        var hyper = EmbeddingHyperParameters.Read(context.Hyper);
        var graph = context.Create<IGraphBuilder>("graph");
        var encoder = context.Create<IGraphEncoder>("encoder");
        var adjacency = graph.Build(new GraphInput { Interactions = context.Split.Train, Device = context.Device });
        var ego = new UserItemEmbeddings(
            context.Split.UserCount, context.Split.ItemCount, hyper.EmbeddingSize, hyper.InitStd, context.Random, context.Device);
        var model = new LightGcnModel(ego, encoder, adjacency);

        var step = new OptimizationStep
        {
            Name = "bpr",
            // The encoder's own parameters (none for "lightgcn") train with the embeddings.
            Parameters = [.. model.parameters(), .. encoder.Module.parameters()],
            Optimizer = OptimizerSpec.Adam(hyper.LearningRate),
            Loss = step =>
            {
                var batch = step.Batch;
                var (allUsers, allItems) = model.Propagate();
                var users = allUsers.index_select(0, batch.Users);
                var positives = allItems.index_select(0, batch.Positives!);
                var negatives = allItems.index_select(0, batch.Negatives!);
                var ranking = BprObjective.Loss(BprObjective.RowScores(users, positives), BprObjective.RowScores(users, negatives));
                var l2 = BprObjective.EgoL2(
                    model.Ego.Users(batch.Users), model.Ego.Items(batch.Positives!), model.Ego.Items(batch.Negatives!), hyper.RegWeight);
                step.Record("bpr", ranking);
                step.Record("l2", l2);
                return ranking.Plus(l2);
            },
        };

        return new TrainingGraph
        {
            Steps = [step],
            Systems = [new StageSystem("lightgcn-forget-scoring-tables", Stage.AfterBatch, _ => model.ForgetScoringTables())],
            Scorer = new Scorer(batch =>
            {
                TrainedUsers.Require(batch.Users, FoundationPlugin.LightGcn);
                var (users, items) = model.ScoringTables();
                return users.index_select(0, batch.Users).mm(items.t());
            }),
            Modules = new Dictionary<string, nn.Module> { ["model"] = model, ["encoder"] = encoder.Module },
            Representations =
            [
                Representation.Users("users", $"the propagated user rows the scorer uses, {hyper.EmbeddingSize} dims", foldsIn: false, batch =>
                {
                    TrainedUsers.Require(batch.Users, FoundationPlugin.LightGcn);
                    return model.ScoringTables().Users.index_select(0, batch.Users);
                })
                with { Decoder = () => [new LinearDecoderOp(model.ScoringTables().Items.t(), null)] },
                Representation.Items("items", $"the propagated item rows the scorer uses, {hyper.EmbeddingSize} dims", () => model.ScoringTables().Items),
            ],
        };
    }
}
