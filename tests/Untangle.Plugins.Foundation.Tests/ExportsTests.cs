using System.Composition;
using System.Composition.Hosting;
using Untangle.Contracts.Components;

namespace Untangle.Plugins.Foundation.Tests;

/// <summary>What the host's MEF container finds in the Foundation assembly, by kind and name.</summary>
public class ExportsTests
{
    private static CompositionHost Container() =>
        new ContainerConfiguration().WithAssembly(typeof(FoundationPlugin).Assembly).CreateContainer();

    [Fact]
    public void The_three_methods_are_exported_with_names_descriptions_and_citations()
    {
        using var container = Container();
        var methods = container.GetExports<Lazy<IMethod, ComponentMetadata>>().ToList();

        methods.Select(m => m.Metadata.Name).Should().BeEquivalentTo(["mostpop", "bpr-mf", "lightgcn"]);
        methods.Should().OnlyContain(m => m.Metadata.Kind == ComponentKind.Method
                                          && m.Metadata.Description.Length > 0 && m.Metadata.Citation.Length > 0);
    }

    [Fact]
    public void The_graph_builder_and_encoder_are_exported_under_the_names_LightGcn_slots_default_to()
    {
        using var container = Container();
        var graphs = container.GetExports<Lazy<IGraphBuilderFactory, ComponentMetadata>>().Select(e => e.Metadata.Name);
        var encoders = container.GetExports<Lazy<IEncoderFactory, ComponentMetadata>>().Select(e => e.Metadata.Name);
        var slots = new LightGcnMethod().Declare().Slots.ToDictionary(s => s.Name);

        graphs.Should().Equal("user-item");
        encoders.Should().Equal("lightgcn");
        slots["graph"].Should().Be(slots["graph"] with { Kind = ComponentKind.GraphBuilder, DefaultComponent = "user-item" });
        slots["encoder"].Should().Be(slots["encoder"] with { Kind = ComponentKind.Encoder, DefaultComponent = "lightgcn" });
    }

    [Fact]
    public void Methods_declare_their_batch_kind_and_weak_generalization_defaults()
    {
        new MostPopularMethod().Declare().BatchKind.Should().Be(BatchKind.FullGraph);
        foreach (IMethod method in new IMethod[] { new BprMfMethod(), new LightGcnMethod() })
        {
            var declaration = method.Declare();
            declaration.BatchKind.Should().Be(BatchKind.Triples);
            declaration.FoldsInUsers.Should().BeFalse();
            var defaults = declaration.HyperParameters.ToDictionary(h => h.Name, h => h.Default);
            defaults["embedding_size"].Should().Be(64);
            defaults["learning_rate"].Should().Be(1e-3);
            defaults["reg_weight"].Should().Be(1e-4);
            declaration.HyperParameters.Should().OnlyContain(h => h.Doc.Length > 0);
        }
    }

    [Fact]
    public void A_bad_hyper_parameter_fails_with_its_key_and_value()
    {
        var method = new BprMfMethod();
        var (dataset, split) = Fixtures.DataAndSplit(Fixtures.Matrix(2, [0], [1]));
        var act = () => method.Build(Fixtures.Context(method, dataset, split, hyper: new Dictionary<string, string> { ["embedding_size"] = "0" }));
        act.Should().Throw<FormatException>().WithMessage("hyper.embedding_size: 0 is out of range; expected an integer > 0");
    }
}
