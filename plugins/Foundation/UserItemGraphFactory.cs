using System.Composition;
using Untangle.Contracts.Components;
using Untangle.Contracts.Settings;

namespace Untangle.Plugins.Foundation;

/// <summary>
/// Exports the "user-item" graph builder: the symmetric-normalised bipartite adjacency
/// D^-1/2 A D^-1/2 of LightGCN (He et al., SIGIR 2020, eq. 6-7), built by <see cref="NormalizedBipartiteGraph"/>.
/// Setting self_loops adds I before normalising (D̃^-1/2 (A + I) D̃^-1/2, FairMI's official graph).
/// Stateless, so one shared instance serves every run.
/// </summary>
[ExportComponent(ComponentKind.GraphBuilder, FoundationPlugin.UserItemGraph,
    Description = "Symmetric-normalised user-item bipartite adjacency D^-1/2 A D^-1/2 (users first, then items) as a sparse tensor",
    Citation = FoundationPlugin.LightGcnCitation)]
[Shared]
public sealed class UserItemGraphFactory : IGraphBuilderFactory
{
    public IReadOnlyList<SettingSpec> Settings { get; } =
    [
        SettingSpec.Bool("self_loops", false, "add I before normalising: D~^-1/2 (A + I) D~^-1/2 with D~ = D + I (FairMI's official graph; LightGCN's has none)"),
    ];

    public IGraphBuilder Create(ComponentContext context) => new NormalizedBipartiteGraph(context.Settings.Bool("self_loops"));
}
