using System.Composition;
using Untangle.Contracts.Components;
using Untangle.Contracts.Settings;
using Untangle.Contracts.Training;

namespace Untangle.Plugins.GoodFixture;

/// <summary>A method that declares a slot and a hyper-parameter, for loader and composition tests. It builds nothing.</summary>
[ExportComponent(ComponentKind.Method, "fixture-method", Description = "a fixture method for loader tests", Citation = "none")]
[Shared]
public sealed class FixtureMethod : IMethod
{
    public MethodDeclaration Declare() => new()
    {
        BatchKind = BatchKind.Triples,
        Slots = [new Slot("graph", ComponentKind.GraphBuilder, "fixture-graph", "a graph")],
        HyperParameters = [SettingSpec.Int("width", 8, "a width"), SettingSpec.Float("rate", 0.5, "a rate")],
    };

    public TrainingGraph Build(MethodContext context) => throw new NotSupportedException("fixture method is for composition tests only");
}

[ExportComponent(ComponentKind.GraphBuilder, "fixture-graph", Description = "a fixture graph builder")]
[Shared]
public sealed class FixtureGraphFactory : IGraphBuilderFactory
{
    public IReadOnlyList<SettingSpec> Settings { get; } = [SettingSpec.Int("top_k", 10, "neighbours kept")];
    public IGraphBuilder Create(ComponentContext context) => throw new NotSupportedException("fixture");
}
