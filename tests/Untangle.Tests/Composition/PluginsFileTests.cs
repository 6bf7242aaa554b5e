using Microsoft.Extensions.Logging.Abstractions;
using Untangle.Host;
using Untangle.Host.Composition;
using Untangle.Host.Plugins;

namespace Untangle.Tests.Composition;

public class PluginsFileTests
{
    private static string RepoFile()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "plugins.json")) && Directory.Exists(Path.Combine(d.FullName, "host")))
                return Path.Combine(d.FullName, "plugins.json");
        throw new InvalidOperationException("plugins.json not found above the test binaries");
    }

    /// <summary>Writes each text to a new .json file in a fresh scratch folder and returns its path.</summary>
    private static Func<string, string> ScratchFiles()
    {
        var dir = Scratch.Folder("untangle-pj-").FullName;
        return text =>
        {
            var path = Path.Combine(dir, $"p{Guid.NewGuid():N}.json");
            File.WriteAllText(path, text);
            return path;
        };
    }

    [Fact]
    public void Every_experiment_and_benchmark_in_the_shipped_plugins_json_resolves()
    {
        var file = PluginsFile.Load(RepoFile());
        var catalog = new PluginLoader(NullLogger.Instance).Load(file.Plugins, [AppContext.BaseDirectory, file.Directory]);
        catalog.Plugins.Should().OnlyContain(p => p.Loaded);

        file.DefaultExperiment.Should().Be("lightgcn-synthetic");
        foreach (var (name, source) in file.Experiments)
        {
            var resolved = new ExperimentResolver(catalog).Resolve(name, [source]);
            resolved.MethodName.Should().NotBeEmpty();
            if (resolved.DatasetPath is { } path)
                Path.IsPathRooted(path).Should().BeTrue("relative data paths resolve against plugins.json's folder");
        }
        file.Benchmarks.Should().ContainKey("baselines-synthetic");
        // Every configuration of every sweep resolves, as `sweep` checks before its first task.
        file.Sweeps.Should().ContainKey("bpr-mf-ml100k-lr-dim");
        foreach (var sweep in file.Sweeps.Values)
            foreach (var configuration in sweep.Configurations())
                new ExperimentResolver(catalog).Resolve(sweep.Experiment,
                    [file.Experiments[sweep.Experiment], ConfigSource.FromAssignments(configuration.Select(kv => $"{kv.Key}={kv.Value}"))]);
    }

    [Fact]
    public void Malformed_files_name_the_file_and_what_was_wrong()
    {
        var write = ScratchFiles();

        FluentActions.Invoking(() => PluginsFile.Load(write("{\n  \"plugins\": [\n}")))
            .Should().Throw<ConfigurationException>().WithMessage("*.json:3: not valid JSON*");
        FluentActions.Invoking(() => PluginsFile.Load(write("{\"plugin\": []}")))
            .Should().Throw<ConfigurationException>().WithMessage("*unknown key 'plugin'; expected plugins, default, experiments, benchmarks, sweeps");
        FluentActions.Invoking(() => PluginsFile.Load(write("{\"default\": \"x\", \"experiments\": {\"y\": {}}}")))
            .Should().Throw<ConfigurationException>().WithMessage("*default experiment 'x' is not among the experiments: y");
        FluentActions.Invoking(() => PluginsFile.Load(write("{\"experiments\": {\"y\": {}}, \"benchmarks\": {\"b\": {\"experiments\": [\"z\"]}}}")))
            .Should().Throw<ConfigurationException>().WithMessage("*benchmark 'b' experiments: unknown experiment 'z'; experiments: y");
        FluentActions.Invoking(() => PluginsFile.Load(write("{\"experiments\": {\"y\": {}}, \"benchmarks\": {\"b\": {\"experiments\": [\"y\"], \"refrence\": {}}}}")))
            .Should().Throw<ConfigurationException>().WithMessage("*benchmark 'b' has unknown key 'refrence'; expected experiments, seeds, reference, reference_source, baseline, study, steer");
        FluentActions.Invoking(() => PluginsFile.Load(write("{\"experiments\": {\"y\": {}}, \"benchmarks\": {\"b\": {\"experiments\": [\"y\"], \"steer\": {\"steps\": [1, 2]}}}}")))
            .Should().Throw<ConfigurationException>().WithMessage("*benchmark 'b' steer: {\"steps\": [1, 2]} is not valid; expected {\"users\": 200, \"steps\": [-3, -2, -1, 0, 1, 2, 3], \"top\": 20} (each optional; steps must include 0)");
        FluentActions.Invoking(() => PluginsFile.Load(write("{\"experiments\": {\"y\": {}, \"x\": {}}, \"benchmarks\": {\"b\": {\"experiments\": [\"y\"], \"baseline\": \"x\"}}}")))
            .Should().Throw<ConfigurationException>().WithMessage("*benchmark 'b' baseline: \"x\" is not one of its experiments; expected one of its experiments (y), or an object naming each experiment's own baseline among them");
        FluentActions.Invoking(() => PluginsFile.Load(write("{\"experiments\": {\"y\": {}, \"x\": {}}, \"benchmarks\": {\"b\": {\"experiments\": [\"y\", \"x\"], \"baseline\": {\"y\": \"z\"}}}}")))
            .Should().Throw<ConfigurationException>().WithMessage("*benchmark 'b' baseline: \"y\": \"z\" is not a pair of its experiments; expected one of its experiments (y, x), or an object*");
        FluentActions.Invoking(() => PluginsFile.Load(write("{\"experiments\": {\"y\": {}}, \"benchmarks\": {\"b\": {\"experiments\": [\"y\", \"y\"]}}}")))
            .Should().Throw<ConfigurationException>().WithMessage("*benchmark 'b' experiments: 'y' is listed twice; expected each experiment once*");
        FluentActions.Invoking(() => PluginsFile.Load(write("{\"experiments\": {\"y\": {}}, \"benchmarks\": {\"b\": {\"experiments\": [\"y\"], \"seeds\": [1, 2, 1]}}}")))
            .Should().Throw<ConfigurationException>().WithMessage("*benchmark 'b' seeds: seed 1 is listed twice; expected distinct seeds");
        FluentActions.Invoking(() => Benchmark.ParseSeeds("3,4,3"))
            .Should().Throw<ConfigurationException>().WithMessage("--seeds 3,4,3: seed 3 is listed twice; expected distinct seeds");
        Benchmark.ParseSeeds("3,4").Should().Equal(3, 4);
        PluginsFile.Load(write("{\"experiments\": {\"y\": {}, \"x\": {}}, \"benchmarks\": {\"b\": {\"experiments\": [\"y\", \"x\"], \"baseline\": \"x\"}}}"))
            .Benchmarks["b"].Baseline.Should().Be("x");
        var pairs = PluginsFile.Load(write("{\"experiments\": {\"y\": {}, \"x\": {}, \"w\": {}}, \"benchmarks\": {\"b\": {\"experiments\": [\"y\", \"x\", \"w\"], \"baseline\": {\"y\": \"x\"}}}}")).Benchmarks["b"];
        pairs.BaselineOf("y").Should().Be("x");
        pairs.BaselineOf("x").Should().BeNull("a baseline is not paired with itself");
        pairs.BaselineOf("w").Should().BeNull("w names no baseline");
    }

    [Fact]
    public void Bench_experiments_keeps_the_named_experiments_in_the_benchmark_order_and_refuses_others()
    {
        var write = ScratchFiles();
        var bench = PluginsFile.Load(write("{\"experiments\": {\"y\": {}, \"x\": {}, \"w\": {}}, \"benchmarks\": {\"b\": {\"experiments\": [\"y\", \"x\", \"w\"], \"baseline\": {\"y\": \"x\"}}}}")).Benchmarks["b"];

        var only = bench.Only("w, y");

        only.Experiments.Should().Equal("y", "w");
        only.BaselineOf("y").Should().Be("x", "the pair is kept; without x's runs it has no paired row");
        FluentActions.Invoking(() => bench.Only("y,v"))
            .Should().Throw<ConfigurationException>().WithMessage("--experiments y,v: benchmark 'b' has no experiment 'v'; its experiments: y, x, w");
        FluentActions.Invoking(() => bench.Only("y,y"))
            .Should().Throw<ConfigurationException>().WithMessage("--experiments y,y: 'y' is listed twice; expected each experiment once");
        FluentActions.Invoking(() => bench.Only(" , "))
            .Should().Throw<ConfigurationException>().WithMessage("--experiments  , : expected experiment names separated by commas");
    }

    [Fact]
    public void An_experiment_that_extends_another_starts_from_its_keys_and_overrides_them()
    {
        var path = Path.Combine(Scratch.Folder("untangle-pj-").FullName, "plugins.json");
        // The grandchild comes first in the file: chains resolve whatever the order, and the file's order is kept.
        File.WriteAllText(path, """
            {"experiments": {
              "c": {"extends": "b", "train": {"seed": 3}},
              "a": {"method": "bpr-mf", "dataset.reader": "synthetic", "train": {"epochs": 10, "seed": 1}, "hyper": {"dims": [1, 2]}},
              "b": {"extends": "a", "train": {"epochs": 4}, "hyper.learning_rate": 0.01}
            }}
            """);
        var file = PluginsFile.Load(path);

        file.Experiments.Keys.Should().Equal("c", "a", "b");
        file.Experiment("b").Values.Should().BeEquivalentTo(new Dictionary<string, string>
        {
            ["method"] = "bpr-mf", ["dataset.reader"] = "synthetic", ["train.epochs"] = "4", ["train.seed"] = "1",
            ["hyper.dims"] = "[1,2]", ["hyper.learning_rate"] = "0.01",
        });
        file.Experiment("c").Values.Should().Contain("train.seed", "3").And.Contain("train.epochs", "4")
            .And.Contain("hyper.learning_rate", "0.01").And.Contain("method", "bpr-mf").And.NotContainKey("extends");
        file.Experiment("c").Origin.Should().Be("plugins.json experiment 'c' (extends 'b')");
        file.Experiment("a").Values.Should().NotContainKey("hyper.learning_rate", "a parent does not see its children's keys");
        file.Experiment("c").BaseDirectory.Should().Be(Path.GetDirectoryName(path));
    }

    [Fact]
    public void Extends_naming_no_experiment_or_a_cycle_fails_naming_the_experiment()
    {
        var write = ScratchFiles();

        FluentActions.Invoking(() => PluginsFile.Load(write("""{"experiments": {"a": {"method": "m"}, "b": {"extends": "x"}}}""")))
            .Should().Throw<ConfigurationException>().WithMessage("*.json: experiment 'b' extends 'x', which is not an experiment in this file; experiments: a, b");
        FluentActions.Invoking(() => PluginsFile.Load(write("""{"experiments": {"a": {"extends": "b"}, "b": {"extends": "c"}, "c": {"extends": "a"}}}""")))
            .Should().Throw<ConfigurationException>().WithMessage("*.json: experiment 'a' extends itself through a -> b -> c -> a; expected a chain that ends in an experiment without extends");
        FluentActions.Invoking(() => PluginsFile.Load(write("""{"experiments": {"x": {"extends": "a"}, "a": {"extends": "b"}, "b": {"extends": "a"}}}""")))
            .Should().Throw<ConfigurationException>().WithMessage("*experiment 'a' extends itself through a -> b -> a;*", "the cycle, not the way into it");
        FluentActions.Invoking(() => PluginsFile.Load(write("""{"experiments": {"a": {"extends": "a"}}}""")))
            .Should().Throw<ConfigurationException>().WithMessage("*experiment 'a' extends itself through a -> a;*");
    }

    [Fact]
    public void Nested_objects_flatten_to_dotted_keys_and_lists_to_brackets()
    {
        using var doc = System.Text.Json.JsonDocument.Parse("""{"train": {"epochs": 3}, "hyper": {"dims": [600, 200], "on": true}}""");
        var source = ConfigSource.FromJson("t", doc.RootElement);
        source.Values.Should().Contain("train.epochs", "3").And.Contain("hyper.dims", "[600,200]").And.Contain("hyper.on", "true");
    }
}
