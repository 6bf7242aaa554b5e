using System.Composition;
using Untangle.Contracts.Components;
using Untangle.Contracts.Training;
using static TorchSharp.torch;

namespace Untangle.Plugins.Foundation;

/// <summary>
/// BPR-MF (Rendle et al., UAI 2009): matrix factorisation ŷ_ui = e_uᵀ e_i trained on sampled
/// (user, positive, negative) triples with the BPR loss and the ego-embedding L2 of
/// <see cref="BprObjective"/>, with Adam. Defaults as LightGCN's MF baseline (He et al., SIGIR 2020,
/// sec. 4.1; reference code's PureMF): d = 64, N(0, 0.1²) init, Adam 1e-3, L2 1e-4.
/// </summary>
[ExportComponent(ComponentKind.Method, FoundationPlugin.BprMf,
    Description = "Matrix factorisation trained with the BPR pairwise loss on sampled negatives",
    Citation = FoundationPlugin.BprCitation)]
[Shared]
public sealed class BprMfMethod : IMethod
{
    public MethodDeclaration Declare() => new()
    {
        BatchKind = BatchKind.Triples,
        HyperParameters = EmbeddingHyperParameters.Specs,
        FoldsInUsers = false,
    };

    public TrainingGraph Build(MethodContext context)
    {
        var hyper = EmbeddingHyperParameters.Read(context.Hyper);
        var embeddings = new UserItemEmbeddings(
            context.Split.UserCount, context.Split.ItemCount, hyper.EmbeddingSize, hyper.InitStd, context.Random, context.Device);

        var step = new OptimizationStep
        {
            Name = "bpr",
            Parameters = [.. embeddings.parameters()],
            // Read by row only: train.row_updates decides whether the rest of the tables take a step too.
            Tables = embeddings.Tables,
            Optimizer = OptimizerSpec.Adam(hyper.LearningRate),
            Loss = step =>
            {
                var batch = step.Batch;
                var users = embeddings.Users(batch.Users);
                var positives = embeddings.Items(batch.Positives!);
                var negatives = embeddings.Items(batch.Negatives!);
                if (FusedBprLoss.Fits(users, positives, negatives))
                {
                    // The same loss in one pass over the rows on the CPU (FusedBprLoss).
                    var terms = FusedBprLoss.Apply(users, positives, negatives, hyper.RegWeight);
                    var values = terms.detach().data<float>().ToArray();
                    step.Record("bpr", values[0]);
                    step.Record("l2", values[1]);
                    return terms.sum();
                }
                var ranking = BprObjective.Loss(BprObjective.RowScores(users, positives), BprObjective.RowScores(users, negatives));
                // MF's ego embeddings are its final embeddings.
                var l2 = BprObjective.EgoL2(users, positives, negatives, hyper.RegWeight);
                step.Record("bpr", ranking);
                step.Record("l2", l2);
                return ranking.Plus(l2);
            },
        };

        return new TrainingGraph
        {
            Steps = [step],
            Scorer = new Scorer(batch =>
            {
                TrainedUsers.Require(batch.Users, FoundationPlugin.BprMf);
                return embeddings.Users(batch.Users).mm(embeddings.ItemTable.t());
            }),
            Modules = new Dictionary<string, nn.Module> { ["embeddings"] = embeddings },
            Representations =
            [
                Representation.Users("users", $"the user embeddings, {hyper.EmbeddingSize} dims", foldsIn: false, batch =>
                {
                    TrainedUsers.Require(batch.Users, FoundationPlugin.BprMf);
                    return embeddings.Users(batch.Users);
                })
                with { Decoder = () => [new LinearDecoderOp(embeddings.ItemTable.t(), null)] },
                Representation.Items("items", $"the item embeddings, {hyper.EmbeddingSize} dims", () => embeddings.ItemTable),
            ],
        };
    }
}
