using System.Composition;
using Untangle.Contracts.Components;
using Untangle.Contracts.Training;

namespace Untangle.Plugins.FairMi;

/// <summary>"fairmi-lightgcn": FairMI over LightGCN (<see cref="FairMiRecipe"/>).</summary>
[ExportComponent(ComponentKind.Method, FairMiPlugin.FairMiLightGcn,
    Description = "FairMI over LightGCN: minimise I(z; s) (CLUB), maximise I(z; p | s) (conditional InfoNCE) with a frozen sensitive encoder and a frozen plain model p",
    Citation = FairMiPlugin.Citation)]
[Shared]
public sealed class FairMiLightGcnMethod : IMethod
{
    public MethodDeclaration Declare() => FairMiRecipe.Declare(lightGcn: true);
    public TrainingGraph Build(MethodContext context) => FairMiRecipe.Build(context, lightGcn: true, FairMiPlugin.FairMiLightGcn);
}
