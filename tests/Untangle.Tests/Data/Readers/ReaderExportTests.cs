using System.Composition.Hosting;
using System.Reflection;
using Untangle.Contracts.Components;
using Untangle.Host.Data.Readers;

namespace Untangle.Tests.Data.Readers;

public class ReaderExportTests
{
    private static readonly Type[] Readers =
        [typeof(MovieLens100KReader), typeof(MovieLensDatReader), typeof(MovieLensCsvReader), typeof(RecBoleReader), typeof(VaeCfReader)];

    [Fact]
    public void Every_reader_is_a_shared_mef_export_of_the_reader_contract()
    {
        using var container = new ContainerConfiguration().WithParts(Readers).CreateContainer();
        var parts = container.GetExports<IDatasetReader>().ToList();

        parts.Select(p => p.GetType()).Should().BeEquivalentTo(Readers);
        container.GetExports<IDatasetReader>().Should().Equal(parts, "[Shared] parts are created once per container");
    }

    [Fact]
    public void Every_reader_carries_its_name_description_and_citation()
    {
        var attributes = Readers.Select(t => t.GetCustomAttribute<ExportComponentAttribute>()!).ToList();

        attributes.Select(a => a.Name).Should().BeEquivalentTo("movielens-100k", "movielens-dat", "movielens-csv", "recbole", "vaecf");
        attributes.Should().OnlyContain(a => a.Kind == ComponentKind.DatasetReader && a.Description.Length > 0 && a.Citation.Length > 0);
    }
}
