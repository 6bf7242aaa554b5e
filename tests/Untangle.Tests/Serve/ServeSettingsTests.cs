using Microsoft.Extensions.Configuration;
using Untangle.Host;
using Untangle.Host.Composition;
using Untangle.Host.Serve;

namespace Untangle.Tests.Serve;

/// <summary>serve's hygiene settings: DataRoots, MaxExperimentBytes and MaxRunMinutes, read from configuration with one clear line for a bad value.</summary>
public class ServeSettingsTests
{
    private static ServeSettings Read(params (string Key, string Value)[] values) =>
        ServeSettings.From(new ConfigurationBuilder().AddInMemoryCollection(values.ToDictionary(v => $"Untangle:Serve:{v.Key}", v => (string?)v.Value)).Build());

    [Fact]
    public void Defaults_confine_data_to_the_working_directory_and_plugins_json_data_folders_and_set_no_time_limit()
    {
        var settings = Read();

        settings.DataRoots.Should().BeNull("null means the defaults, worked out when the plugins file is known");
        settings.MaxExperimentBytes.Should().Be(1 << 20);
        settings.MaxRunTime.Should().BeNull();

        var folder = Scratch.Folder("untangle-roots-").FullName;
        File.WriteAllText(Path.Combine(folder, "plugins.json"),
            """{ "plugins": [], "experiments": { "a": { "method": "bpr-mf", "dataset": { "path": "data/ml-100k" } } } }""");
        var roots = DataRoots.Of(settings.DataRoots, PluginsFile.Load(Path.Combine(folder, "plugins.json")));
        roots.ToString().Should().Be($"{Directory.GetCurrentDirectory()}, {Path.Combine(folder, "data")}");
        roots.Invoking(r => r.Check(Path.Combine(folder, "data", "ml-1m"))).Should().NotThrow();
        roots.Invoking(r => r.Check("/etc")).Should().Throw<ConfigurationException>()
            .WithMessage("dataset.path /etc: outside the folders serve reads data from (*); add its folder to Untangle:Serve:DataRoots to allow it");
    }

    [Fact]
    public void The_store_is_a_file_made_absolute_or_a_postgres_location_kept_as_written()
    {
        Read(("Store", "runs/untangle.db")).Store.Should().Be(Path.GetFullPath("runs/untangle.db"));
        Read(("Store", "postgres://untangle@db.example.org/runs")).Store.Should().Be("postgres://untangle@db.example.org/runs");
        Read(("Store", "Host=db;Database=runs")).Store.Should().Be("Host=db;Database=runs");
    }

    [Fact]
    public void Data_roots_are_a_list_a_path_separated_value_or_a_star_for_anywhere()
    {
        Read(("DataRoots:0", "/srv/data"), ("DataRoots:1", "/mnt/shared")).DataRoots.Should().Equal("/srv/data", "/mnt/shared");
        Read(("DataRoots", "/srv/data:/mnt/shared")).DataRoots.Should().Equal("/srv/data", "/mnt/shared");
        var anywhere = Read(("DataRoots", "*")).DataRoots;
        anywhere.Should().BeEmpty();
        var plugins = Path.Combine(Scratch.Folder("untangle-roots-").FullName, "plugins.json");
        File.WriteAllText(plugins, """{ "plugins": [], "experiments": {} }""");
        DataRoots.Of(anywhere, PluginsFile.Load(plugins)).Invoking(r => r.Check("/etc")).Should().NotThrow();
    }

    [Fact]
    public void Plugin_dirs_are_a_list_or_a_path_separated_value_and_none_by_default()
    {
        Read().PluginDirs.Should().BeEmpty();
        Read(("PluginDirs:0", "/opt/plugins"), ("PluginDirs:1", "/srv/jade")).PluginDirs.Should().Equal("/opt/plugins", "/srv/jade");
        Read(("PluginDirs", "/opt/plugins:/srv/jade")).PluginDirs.Should().Equal("/opt/plugins", "/srv/jade");
    }

    [Fact]
    public void A_link_inside_a_root_that_leads_out_of_it_is_outside()
    {
        var root = Scratch.Folder("untangle-roots-").FullName;
        Directory.CreateSymbolicLink(Path.Combine(root, "escape"), "/etc");
        var plugins = Path.Combine(root, "plugins.json");
        File.WriteAllText(plugins, """{ "plugins": [], "experiments": {} }""");
        var roots = DataRoots.Of([root], PluginsFile.Load(plugins));

        roots.Invoking(r => r.Check(Path.Combine(root, "escape"))).Should().Throw<ConfigurationException>().WithMessage("dataset.path */escape: outside*");
        roots.Invoking(r => r.Check(Path.Combine(root, "data", "missing"))).Should().NotThrow("a missing folder inside a root is the reader's to report");
    }

    [Theory]
    [InlineData("MaxExperimentBytes", "-5", "Untangle:Serve:MaxExperimentBytes: '-5' is not a positive whole number of bytes")]
    [InlineData("MaxRunMinutes", "soon", "Untangle:Serve:MaxRunMinutes: 'soon' is not a positive number of minutes (0 or unset: no limit)")]
    public void A_bad_value_names_its_key_and_what_is_expected(string key, string value, string message)
    {
        FluentActions.Invoking(() => Read((key, value))).Should().Throw<ConfigurationException>().WithMessage(message);
    }

    [Fact]
    public void Limits_are_read_in_bytes_and_minutes()
    {
        var settings = Read(("MaxExperimentBytes", "4096"), ("MaxRunMinutes", "90"));
        settings.MaxExperimentBytes.Should().Be(4096);
        settings.MaxRunTime.Should().Be(TimeSpan.FromMinutes(90));
        Read(("MaxRunMinutes", "0")).MaxRunTime.Should().BeNull("0 means no limit");
    }
}
