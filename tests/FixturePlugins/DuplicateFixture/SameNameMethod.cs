using System.Composition;
using Untangle.Contracts.Components;
using Untangle.Contracts.Training;

namespace Untangle.Plugins.DuplicateFixture;

/// <summary>Exports a method under the same name as GoodFixture's: loading both is a conflict naming both plugins.</summary>
[ExportComponent(ComponentKind.Method, "fixture-method", Description = "same name as GoodFixture's method")]
[Shared]
public sealed class SameNameMethod : IMethod
{
    public MethodDeclaration Declare() => throw new NotSupportedException();
    public TrainingGraph Build(MethodContext context) => throw new NotSupportedException();
}
