using Untangle.Host.Cli;

namespace Untangle.Tests.Composition;

public class CommandLineTests
{
    [Fact]
    public void No_verb_means_run_the_default()
    {
        var line = CommandLine.Parse([]);
        line.Verb.Should().Be("run");
        line.Positional.Should().BeEmpty();
    }

    [Fact]
    public void Run_takes_an_experiment_sets_a_config_and_an_output_folder()
    {
        var line = CommandLine.Parse(["run", "lightgcn-synthetic", "--set", "train.epochs=3", "--hyper.layers=2", "--config", "c.json", "--out", "o"]);
        line.Verb.Should().Be("run");
        line.Positional.Should().Equal("lightgcn-synthetic");
        line.Sets.Should().Equal("train.epochs=3", "hyper.layers=2");
        line.ConfigFile.Should().Be("c.json");
        line.Out.Should().Be("o");
    }

    [Fact]
    public void Resume_store_and_serve_options_are_parsed()
    {
        var resume = CommandLine.Parse(["run", "--resume", "20260101-000000-x-abcd", "--store", "s.db"]);
        resume.Resume.Should().Be("20260101-000000-x-abcd");
        resume.Store.Should().Be("s.db");
        var serve = CommandLine.Parse(["serve", "--queue", "q", "--out", "r", "--drain"]);
        serve.Verb.Should().Be("serve");
        (serve.Queue, serve.Out, serve.Drain).Should().Be(("q", "r", true));
        CommandLine.Parse(["report", "a", "b"]).Positional.Should().Equal("a", "b");
    }

    [Fact]
    public void Plugins_dir_repeats_and_keeps_its_order()
    {
        var line = CommandLine.Parse(["plugins", "--plugins-dir", "a/bin/Release/net10.0", "--plugins-dir", "~/more"]);
        line.PluginDirs.Should().Equal("a/bin/Release/net10.0", "~/more");
        FluentActions.Invoking(() => CommandLine.Parse(["plugins", "--plugins-dir"])).Should().Throw<UsageException>().WithMessage("--plugins-dir needs a value");
    }

    [Fact]
    public void An_unknown_option_or_a_missing_value_is_a_usage_error()
    {
        FluentActions.Invoking(() => CommandLine.Parse(["run", "--bogus"])).Should().Throw<UsageException>().WithMessage("unknown option --bogus");
        FluentActions.Invoking(() => CommandLine.Parse(["run", "--out"])).Should().Throw<UsageException>().WithMessage("--out needs a value");
    }
}
