using System.Composition;
using Untangle.Contracts.Components;
using Untangle.Contracts.Training;

namespace Untangle.Plugins.ThrowingFixture;

/// <summary>A part whose constructor throws: its plugin must be reported as failed, the others still load.</summary>
[ExportComponent(ComponentKind.Method, "throwing-method", Description = "throws when created")]
public sealed class ThrowingMethod : IMethod
{
    public ThrowingMethod() => throw new InvalidOperationException("fixture refuses to be created");
    public MethodDeclaration Declare() => throw new NotSupportedException();
    public TrainingGraph Build(MethodContext context) => throw new NotSupportedException();
}
