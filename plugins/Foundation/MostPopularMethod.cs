using System.Composition;
using Untangle.Contracts.Components;
using Untangle.Contracts.Training;
using static TorchSharp.torch;

namespace Untangle.Plugins.Foundation;

/// <summary>
/// MostPopular ("TopPop" in Cremonesi et al., RecSys 2010): every user gets the items ranked by
/// how many training users interacted with them. Nothing to optimise; the popularity vector is
/// counted once at Build() and kept in <see cref="ItemPopularity"/>. The floor any personalised
/// method must clear.
/// </summary>
[ExportComponent(ComponentKind.Method, FoundationPlugin.MostPopular,
    Description = "Non-personalised baseline: items ranked by their number of training users",
    Citation = FoundationPlugin.MostPopularCitation)]
[Shared]
public sealed class MostPopularMethod : IMethod
{
    public MethodDeclaration Declare() => new()
    {
        // No steps run, so the cheapest batch kind: one (empty) full-graph batch per epoch.
        BatchKind = BatchKind.FullGraph,
        FoldsInUsers = false,
    };

    public TrainingGraph Build(MethodContext context)
    {
        var popularity = new ItemPopularity(context.Split.Train, context.Device);
        return new TrainingGraph
        {
            Steps = [],
            Scorer = new Scorer(batch => popularity.forward(batch.Users)),
            Modules = new Dictionary<string, nn.Module> { ["popularity"] = popularity },
        };
    }
}
