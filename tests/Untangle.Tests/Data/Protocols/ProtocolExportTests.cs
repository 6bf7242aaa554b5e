using System.Composition.Hosting;
using System.Reflection;
using Untangle.Contracts.Components;
using Untangle.Host.Data.Protocols;
using Untangle.Host.Data.Synthetic;

namespace Untangle.Tests.Data.Protocols;

public class ProtocolExportTests
{
    [Fact]
    public void Protocols_and_the_synthetic_reader_are_shared_MEF_exports_with_their_names()
    {
        Type[] protocols = [typeof(StrongGeneralization), typeof(WeakRandomSplit), typeof(WeakTemporalSplit), typeof(PresplitProtocol)];
        using var container = new ContainerConfiguration().WithParts(protocols).WithPart<SyntheticReader>().CreateContainer();

        container.GetExports<ISplitProtocol>().Select(p => p.GetType()).Should().BeEquivalentTo(protocols);
        container.GetExport<IDatasetReader>().Should().BeOfType<SyntheticReader>();
        container.GetExport<IDatasetReader>().Should().BeSameAs(container.GetExport<IDatasetReader>(), "[Shared] parts are created once");
        protocols.Select(t => t.GetCustomAttribute<ExportComponentAttribute>()!.Name)
            .Should().Equal("strong", "weak-random", "weak-temporal", "presplit");
        protocols.Should().OnlyContain(t => t.GetCustomAttribute<ExportComponentAttribute>()!.Description.Length > 0);
        typeof(SyntheticReader).GetCustomAttribute<ExportComponentAttribute>()!.Name.Should().Be("synthetic");
    }
}
