using Microsoft.Extensions.Logging.Abstractions;
using Untangle.Contracts.Components;
using Untangle.Host.Plugins;

namespace Untangle.Tests.Plugins;

public class PluginLoaderTests
{
    private static readonly string FixtureRoot = Path.Combine(AppContext.BaseDirectory, "fixture-plugins");

    private static ComponentCatalog Load(params string[] folders) =>
        new PluginLoader(NullLogger.Instance).Load(folders, [FixtureRoot, AppContext.BaseDirectory]);

    [Fact]
    public void A_good_plugin_loads_with_its_components_and_typed_metadata()
    {
        var catalog = Load("GoodFixture");

        var report = catalog.Plugins.Single(p => p.Name == "GoodFixture");
        report.Loaded.Should().BeTrue(report.Error);
        catalog.TryGet(ComponentKind.Method, "fixture-method", out var method).Should().BeTrue();
        method.Description.Should().Be("a fixture method for loader tests");
        method.Citation.Should().Be("none");
        method.Plugin.Should().Be("GoodFixture");
        // The part implements the host's IMethod: contract types are shared, not loaded twice.
        method.Part.Should().BeAssignableTo<IMethod>();
        catalog.Names(ComponentKind.GraphBuilder).Should().Contain("fixture-graph");
    }

    [Fact]
    public void The_host_exports_its_built_in_readers_protocols_and_metrics()
    {
        var catalog = Load();
        catalog.Names(ComponentKind.DatasetReader).Should().Contain(["synthetic", "movielens-100k", "vaecf", "recbole"]);
        catalog.Names(ComponentKind.SplitProtocol).Should().Contain(["strong", "weak-random", "presplit"]);
        catalog.Names(ComponentKind.Metric).Should().Contain(["ndcg", "recall", "recall_capped", "precision", "hit", "mrr"]);
    }

    [Fact]
    public void The_Foundation_plugin_loads_from_the_build_output()
    {
        var catalog = new PluginLoader(NullLogger.Instance).Load(["plugins/Foundation"], [AppContext.BaseDirectory]);
        catalog.Plugins.Single(p => p.Name == "Foundation").Loaded.Should().BeTrue();
        catalog.Names(ComponentKind.Method).Should().Contain(["mostpop", "bpr-mf", "lightgcn"]);
        catalog.Names(ComponentKind.GraphBuilder).Should().Contain("user-item");
        catalog.Names(ComponentKind.Encoder).Should().Contain("lightgcn");
    }

    [Fact]
    public void A_part_that_throws_when_created_fails_its_plugin_and_the_others_still_load()
    {
        var catalog = Load("ThrowingFixture", "GoodFixture");

        var failed = catalog.Plugins.Single(p => p.Name == "ThrowingFixture");
        failed.Loaded.Should().BeFalse();
        failed.Path.Should().EndWith("Untangle.Plugins.ThrowingFixture.dll");
        failed.Error.Should().Contain("throwing-method").And.Contain("fixture refuses to be created");
        catalog.TryGet(ComponentKind.Method, "fixture-method", out _).Should().BeTrue();
    }

    [Fact]
    public void A_missing_dependency_is_reported_with_the_assembly_it_needs()
    {
        var catalog = Load("MissingDependencyFixture", "GoodFixture");

        var failed = catalog.Plugins.Single(p => p.Name == "MissingDependencyFixture");
        failed.Loaded.Should().BeFalse();
        failed.Error.Should().Contain("Untangle.FixtureDependency");
        catalog.Plugins.Single(p => p.Name == "GoodFixture").Loaded.Should().BeTrue();
    }

    [Fact]
    public void A_file_that_is_not_a_dotnet_assembly_is_reported()
    {
        var folder = Scratch.Folder("untangle-broken-").FullName;
        var broken = Path.Combine(folder, "Broken");
        Directory.CreateDirectory(broken);
        File.WriteAllText(Path.Combine(broken, "Broken.dll"), "this is not a PE file");

        var catalog = new PluginLoader(NullLogger.Instance).Load([broken, "GoodFixture"], [FixtureRoot]);

        var failed = catalog.Plugins.Single(p => p.Name == "Broken");
        failed.Loaded.Should().BeFalse();
        failed.Error.Should().Contain("Broken.dll is not a .NET assembly");
        catalog.Plugins.Single(p => p.Name == "GoodFixture").Loaded.Should().BeTrue();
    }

    [Fact]
    public void A_missing_folder_is_reported_not_fatal()
    {
        var catalog = Load("NoSuchPlugin", "GoodFixture");
        catalog.Plugins.Single(p => p.Name == "NoSuchPlugin").Error.Should().StartWith("folder not found");
        catalog.Plugins.Single(p => p.Name == "GoodFixture").Loaded.Should().BeTrue();
    }

    [Fact]
    public void Two_exports_with_the_same_kind_and_name_are_a_conflict_naming_both_plugins()
    {
        var catalog = Load("GoodFixture", "DuplicateFixture");

        catalog.Conflicts.Should().ContainSingle()
            .Which.Should().Contain("'fixture-method'").And.Contain("GoodFixture").And.Contain("DuplicateFixture");
    }
}
