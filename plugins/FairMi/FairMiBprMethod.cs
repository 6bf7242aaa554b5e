using System.Composition;
using Untangle.Contracts.Components;
using Untangle.Contracts.Training;

namespace Untangle.Plugins.FairMi;

/// <summary>"fairmi-bpr": FairMI over BPR-MF (<see cref="FairMiRecipe"/>).</summary>
[ExportComponent(ComponentKind.Method, FairMiPlugin.FairMiBpr,
    Description = "FairMI over BPR-MF: minimise I(z; s) (CLUB), maximise I(z; p | s) (conditional InfoNCE) with a frozen sensitive encoder and a frozen plain model p",
    Citation = FairMiPlugin.Citation)]
[Shared]
public sealed class FairMiBprMethod : IMethod
{
    public MethodDeclaration Declare() => FairMiRecipe.Declare(lightGcn: false);
    public TrainingGraph Build(MethodContext context) => FairMiRecipe.Build(context, lightGcn: false, FairMiPlugin.FairMiBpr);
}
