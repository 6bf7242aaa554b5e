using System.Composition.Hosting;
using Untangle.Contracts.Components;
using Untangle.Plugins.MacridVae;
using Untangle.Plugins.VaeCF;

namespace Untangle.Plugins.VaeFamily.Tests;

/// <summary>What the host's MEF container finds in each plugin assembly, by kind and name.</summary>
public class ExportsTests
{
    [Fact]
    public void VaeCF_exports_multdae_and_multvae_with_citations()
    {
        using var container = new ContainerConfiguration().WithAssembly(typeof(VaeCfPlugin).Assembly).CreateContainer();
        var methods = container.GetExports<Lazy<IMethod, ComponentMetadata>>().ToList();

        methods.Select(m => m.Metadata.Name).Should().BeEquivalentTo(["multdae", "multvae"]);
        methods.Should().OnlyContain(m => m.Metadata.Citation.Contains("Liang") && m.Metadata.Description.Length > 0);
    }

    [Fact]
    public void MacridVae_exports_the_method_and_the_two_encoders_its_slots_default_to()
    {
        using var container = new ContainerConfiguration().WithAssembly(typeof(MacridVaePlugin).Assembly).CreateContainer();
        var methods = container.GetExports<Lazy<IMethod, ComponentMetadata>>().Select(e => e.Metadata.Name);
        var encoders = container.GetExports<Lazy<IEncoderFactory, ComponentMetadata>>().Select(e => e.Metadata.Name);
        var slots = new MacridVaeMethod().Declare().Slots.ToDictionary(s => s.Name);

        methods.Should().Equal("macridvae");
        encoders.Should().BeEquivalentTo(["concept-assignment", "macrid-encoder"]);
        slots["assignment"].Should().Be(slots["assignment"] with { Kind = ComponentKind.Encoder, DefaultComponent = "concept-assignment" });
        slots["encoder"].Should().Be(slots["encoder"] with { Kind = ComponentKind.Encoder, DefaultComponent = "macrid-encoder" });
    }
}
