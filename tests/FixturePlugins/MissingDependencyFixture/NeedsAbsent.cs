using System.Composition;
using Untangle.Contracts.Components;
using Untangle.Contracts.Training;
using Untangle.FixtureDependency;

namespace Untangle.Plugins.MissingDependencyFixture;

[ExportComponent(ComponentKind.Method, "needs-absent", Description = "its base class lives in an assembly that is not shipped")]
public sealed class NeedsAbsent : AbsentBase, IMethod
{
    public MethodDeclaration Declare() => throw new NotSupportedException();
    public TrainingGraph Build(MethodContext context) => throw new NotSupportedException();
}
