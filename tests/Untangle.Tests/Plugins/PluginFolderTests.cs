using Microsoft.Extensions.Logging.Abstractions;
using Untangle.Host;
using Untangle.Host.Plugins;

namespace Untangle.Tests.Plugins;

/// <summary>Plugins from outside plugins.json: --plugins-dir and the user plugins folder, each reported with where it came from.</summary>
public class PluginFolderTests
{
    private static readonly string Good = Path.Combine(AppContext.BaseDirectory, "fixture-plugins", "GoodFixture");

    private static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from)) File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
    }

    private static ComponentCatalog Load(IReadOnlyList<PluginFolder> folders) =>
        new PluginLoader(NullLogger.Instance).Load(folders, [AppContext.BaseDirectory]);

    [Fact]
    public void A_plugins_build_output_given_with_plugins_dir_is_one_plugin_named_after_its_assembly()
    {
        var output = Path.Combine(Scratch.Folder("untangle-pdir-").FullName, "bin", "Release", "net10.0");
        CopyFolder(Good, output);
        var emptyUser = Scratch.Folder("untangle-user-").FullName;

        var folders = PluginFolder.All(["plugins/Foundation"], [output], emptyUser);
        var catalog = Load(folders);

        folders.Select(f => (f.Path, f.Origin)).Should().Equal(("plugins/Foundation", "plugins.json"), (output, "--plugins-dir"));
        var report = catalog.Plugins.Single(p => p.Path.StartsWith(output, StringComparison.Ordinal));
        report.Should().Match<PluginReport>(r => r.Loaded && r.Name == "GoodFixture" && r.Origin == "--plugins-dir");
        catalog.Plugins.Single(p => p.Name == "Foundation").Origin.Should().Be("plugins.json");
        catalog.Plugins.Single(p => p.Name == PluginLoader.BuiltInName).Origin.Should().Be("built-in");
    }

    [Fact]
    public void The_user_plugins_folder_and_a_plugins_dir_of_folders_load_each_subfolder()
    {
        var user = Scratch.Folder("untangle-user-").FullName;
        CopyFolder(Good, Path.Combine(user, "GoodFixture"));
        var many = Scratch.Folder("untangle-many-").FullName;
        CopyFolder(Path.Combine(AppContext.BaseDirectory, "fixture-plugins", "ReadmeExample"), Path.Combine(many, "ReadmeExample"));

        var catalog = Load(PluginFolder.All([], [many], user));

        catalog.Plugins.Where(p => p.Origin != "built-in").Select(p => (p.Name, p.Origin, p.Loaded))
            .Should().Equal(("ReadmeExample", "--plugins-dir", true), ("GoodFixture", "user folder", true));
        catalog.Names(Untangle.Contracts.Components.ComponentKind.Method).Should().Contain(["fixture-method", "mymethod"]);
    }

    [Fact]
    public void A_plugins_json_entry_may_be_an_absolute_folder_outside_the_repository()
    {
        var outside = Path.Combine(Scratch.Folder("untangle-abs-").FullName, "GoodFixture");
        CopyFolder(Good, outside);

        var catalog = Load(PluginFolder.All([outside], [], Scratch.Folder("untangle-user-").FullName));

        catalog.Plugins.Single(p => p.Name == "GoodFixture").Should().Match<PluginReport>(r => r.Loaded && r.Origin == "plugins.json" && r.Path.StartsWith(outside));
    }

    [Fact]
    public void A_missing_plugins_dir_fails_naming_it_and_a_missing_user_folder_is_no_plugins()
    {
        var missing = Path.Combine(Scratch.Folder("untangle-none-").FullName, "nope");

        FluentActions.Invoking(() => PluginFolder.All([], [missing], missing)).Should().Throw<ConfigurationException>()
            .WithMessage($"--plugins-dir {missing}: folder not found; expected a plugin's build output or a folder of plugin folders");
        PluginFolder.All([], [], missing).Should().BeEmpty();
    }
}
