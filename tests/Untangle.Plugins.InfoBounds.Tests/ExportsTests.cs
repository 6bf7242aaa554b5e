using System.Composition.Hosting;
using Untangle.Contracts.Components;

namespace Untangle.Plugins.InfoBounds.Tests;

/// <summary>What MEF finds in the assembly, with the metadata the host lists, and each estimator's declared bound.</summary>
public class ExportsTests
{
    private static CompositionHost Container() =>
        new ContainerConfiguration().WithAssembly(typeof(InfoBoundsPlugin).Assembly).CreateContainer();

    [Fact]
    public void Every_component_is_exported_with_a_description_and_a_citation()
    {
        using var container = Container();
        var estimators = container.GetExports<Lazy<IMutualInformationEstimatorFactory, ComponentMetadata>>().Select(e => e.Metadata).ToList();
        var critics = container.GetExports<Lazy<IDiscriminatorFactory, ComponentMetadata>>().Select(e => e.Metadata).ToList();
        var benchmarks = container.GetExports<Lazy<IBenchmark, ComponentMetadata>>().Select(e => e.Metadata).ToList();

        estimators.Select(m => m.Name).Should().BeEquivalentTo(["club", "club-sample", "club-categorical", "infonce", "conditional-infonce", "learned-infonce", "orthogonality"]);
        critics.Select(m => m.Name).Should().BeEquivalentTo(["wgan-gp", "gan-bce"]);
        benchmarks.Select(m => m.Name).Should().Equal("mi-gaussian");
        estimators.Concat(critics).Concat(benchmarks).Should().OnlyContain(m => m.Description.Length > 0 && m.Citation.Length > 0);
    }

    [Theory]
    [InlineData("club", InformationBound.Upper)]
    [InlineData("club-sample", InformationBound.Upper)]
    [InlineData("club-categorical", InformationBound.Upper)]
    [InlineData("infonce", InformationBound.Lower)]
    [InlineData("conditional-infonce", InformationBound.Lower)]
    [InlineData("orthogonality", InformationBound.Estimate)]
    public void Each_estimator_declares_which_side_of_the_truth_it_lies_on(string name, InformationBound bound)
    {
        using var container = Container();
        var factory = container.GetExports<Lazy<IMutualInformationEstimatorFactory, ComponentMetadata>>().Single(e => e.Metadata.Name == name).Value;
        using var estimator = Components.Make(factory, Components.Dims(3, 3));

        estimator.Bound.Should().Be(bound);
        (estimator.Module is not null).Should().Be(bound == InformationBound.Upper, "only CLUB owns a network");
        factory.Settings.Where(s => s.Doc.Length == 0).Should().BeEmpty();
    }
}
