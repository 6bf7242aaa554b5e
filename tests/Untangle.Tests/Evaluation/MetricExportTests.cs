using System.Composition;
using System.Composition.Hosting;
using System.Reflection;
using Untangle.Contracts.Components;
using Untangle.Host.Evaluation.Metrics;

namespace Untangle.Tests.Evaluation;

/// <summary>The built-in metrics are MEF exports under the names experiments use (ISSUE2 "Names to use").</summary>
public class MetricExportTests
{
    private static readonly Type[] MetricTypes = typeof(Ndcg).Assembly.GetTypes()
        .Where(t => t.Namespace == typeof(Ndcg).Namespace && t.GetCustomAttribute<ExportComponentAttribute>() is { Kind: ComponentKind.Metric })
        .ToArray();

    [Fact]
    public void Every_builtin_metric_is_exported_by_name_with_a_description_and_citation()
    {
        var attributes = MetricTypes.Select(t => t.GetCustomAttribute<ExportComponentAttribute>()!).ToArray();

        attributes.Select(a => a.Name).Should().BeEquivalentTo(
            "ndcg", "ndcg_fairmi", "recall", "recall_capped", "precision", "hit", "mrr");
        attributes.Should().OnlyContain(a => a.Kind == ComponentKind.Metric && a.Description.Length > 0 && a.Citation.Length > 0);
    }

    [Fact]
    public void Metrics_compose_as_shared_stateless_parts()
    {
        MetricTypes.Should().OnlyContain(t => t.GetCustomAttribute<SharedAttribute>() != null, "metrics keep no per-run state");
        using var container = new ContainerConfiguration().WithParts(MetricTypes).CreateContainer();

        var first = container.GetExports<IMetric>().ToArray();
        var second = container.GetExports<IMetric>().ToArray();

        first.Should().HaveCount(7);
        second.Should().Equal(first, (a, b) => ReferenceEquals(a, b), "a [Shared] part is created once per container");
    }
}
