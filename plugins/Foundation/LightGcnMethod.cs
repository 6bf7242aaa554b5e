using System.Composition;
using Untangle.Contracts.Components;
using Untangle.Contracts.Training;

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
/// cached in <see cref="LightGcnModel"/> and dropped after every batch (<see cref="LightGcnTraining"/>).
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
        return LightGcnTraining.Graph(model, hyper.RegWeight, hyper.LearningRate, FoundationPlugin.LightGcn);
    }
}
