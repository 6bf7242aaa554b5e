using Microsoft.Extensions.Logging.Abstractions;
using Untangle.Host.Composition;
using Untangle.Host.Plugins;
using Untangle.Host.Training;
using Untangle.Host.Training.Checkpoints;
using Untangle.Tests.EndToEnd;
using Untangle.Tests.Training;

namespace Untangle.Tests.Plugins;

/// <summary>
/// The README's plugin example is the plugin template's method (templates/untangle-plugin), and real
/// code: tests/FixturePlugins/ReadmeExample builds it as a plugin, these tests check the README shows
/// exactly that file, and run it with the estimator it declares and with a learned one the engine fits.
/// </summary>
[Collection(TorchGeneratorCollection.Name)]
public class ReadmeExampleTests
{
    private static readonly ComponentCatalog Catalog = new PluginLoader(NullLogger.Instance)
        .Load(["ReadmeExample", "plugins/InfoBounds"], [Path.Combine(AppContext.BaseDirectory, "fixture-plugins"), AppContext.BaseDirectory]);

    private static string[] Lines(string text) => text.Replace("\r", "").Split('\n');

    [Fact]
    public void The_readme_shows_the_example_plugin_that_the_build_compiles()
    {
        var source = Lines(File.ReadAllText(Path.Combine(HostProcess.Repo, "templates", "untangle-plugin", "MyMethod", "MyMethodMethod.cs")));
        var example = source.SkipWhile(l => l != "// README begin").Skip(1).TakeWhile(l => l != "// README end").ToList();
        var readme = Lines(File.ReadAllText(Path.Combine(HostProcess.Repo, "README.md")));
        var section = readme.SkipWhile(l => l != "## Writing a plugin").Skip(1).TakeWhile(l => !l.StartsWith("## ", StringComparison.Ordinal)).ToList();
        var block = section.SkipWhile(l => l.Trim() != "```csharp").Skip(1).TakeWhile(l => l.Trim() != "```").ToList();

        example.Should().NotBeEmpty();
        block.Select(l => l.TrimEnd()).Should().Equal(example.Select(l => l.TrimEnd()),
            "README.md's plugin example is templates/untangle-plugin/MyMethod/MyMethodMethod.cs between its markers");
    }

    [Theory]
    [InlineData("orthogonality")]
    [InlineData("learned-infonce")]
    public void The_example_plugin_trains_with_the_estimator_in_its_slot(string estimator)
    {
        Catalog.Plugins.Single(p => p.Name == "ReadmeExample").Loaded.Should().BeTrue();
        var experiment = new ExperimentResolver(Catalog).Resolve("readme", [new ConfigSource("test", new Dictionary<string, string>
        {
            ["method"] = "mymethod", ["components.separation"] = estimator, ["dataset.reader"] = "synthetic",
            ["dataset.users"] = "120", ["dataset.items"] = "60", ["protocol.name"] = "weak-random",
            ["train.epochs"] = "2", ["train.batch_size"] = "256", ["eval.metrics"] = "ndcg@10", ["eval.disentanglement"] = "none",
        })]);
        var folder = Scratch.Folder("untangle-readme-").FullName;

        var outcome = new ExperimentRun(NullLoggerFactory.Instance).Execute(experiment, folder);

        outcome.Test["ndcg@10"].Mean.Should().BeGreaterThan(0);
        outcome.Training.Epochs.Should().OnlyContain(e => e.Losses.ContainsKey(estimator), "the term is named after the component in the slot");
        var snapshot = new CheckpointFolder(Path.Combine(folder, "checkpoint")).Latest()!;
        bool learned = estimator == "learned-infonce";
        outcome.Training.Epochs.Should().OnlyContain(e => e.Losses.ContainsKey("fit:separation") == learned);
        File.Exists(Path.Combine(snapshot, "modules", "slot.separation.pt")).Should().Be(learned);
    }
}
