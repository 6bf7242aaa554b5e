using Microsoft.Extensions.Logging.Abstractions;
using Untangle.Contracts.Components;
using Untangle.Host;
using Untangle.Host.Composition;
using Untangle.Host.Plugins;
using Untangle.Host.Training;

namespace Untangle.Plugins.InfoBounds.Tests;

/// <summary>
/// Components are swapped by name: the built plugin folder is loaded by the host's PluginLoader, a
/// fixture method with one estimator slot joins the catalog, and the host's resolver and engine run
/// it with each estimator named in components.mi.
/// </summary>
public class SwappableEstimatorTests
{
    private static readonly MiProbeMethod Probe = new();

    private static readonly ComponentCatalog Catalog = WithProbe(
        new PluginLoader(NullLogger.Instance).Load(["plugins/InfoBounds"], [AppContext.BaseDirectory]));

    private static ComponentCatalog WithProbe(ComponentCatalog loaded) =>
        new([.. loaded.Plugins, new PluginReport("fixture", "", true, null,
            [new ComponentEntry(ComponentKind.Method, "mi-probe", "fixture", "", "fixture", Probe)])]);

    private static (RunOutcome Outcome, ResolvedExperiment Experiment) Run(params (string Key, string Value)[] extra)
    {
        var values = new Dictionary<string, string>
        {
            ["method"] = "mi-probe", ["dataset.reader"] = "synthetic", ["dataset.users"] = "120", ["dataset.items"] = "60",
            ["protocol.name"] = "weak-random", ["train.epochs"] = "1", ["train.batch_size"] = "512", ["train.seed"] = "3",
            ["eval.metrics"] = "ndcg@10",
        };
        foreach (var (k, v) in extra) values[k] = v;
        var experiment = new ExperimentResolver(Catalog).Resolve("swap", [new ConfigSource("test", values)]);
        var outcome = new ExperimentRun(NullLoggerFactory.Instance).Execute(experiment, Scratch.Folder("untangle-mi-").FullName);
        return (outcome, experiment);
    }

    [Fact]
    public void The_plugin_loads_and_exports_every_estimator_and_critic_by_name()
    {
        var plugin = Catalog.Plugins.Single(p => p.Name == "InfoBounds");
        plugin.Loaded.Should().BeTrue(plugin.Error);
        Catalog.Names(ComponentKind.MutualInformationEstimator).Should().Equal("club", "club-categorical", "club-sample", "conditional-infonce", "infonce", "learned-infonce", "orthogonality");
        Catalog.Names(ComponentKind.Discriminator).Should().Equal("gan-bce", "wgan-gp");
        Catalog.Names(ComponentKind.Benchmark).Should().Contain("mi-gaussian");
    }

    [Theory]
    [InlineData("club", "hidden_size", true)]
    [InlineData("club-sample", "clamp_at_zero", true)]
    [InlineData("infonce", "temperature", false)]
    [InlineData("conditional-infonce", "condition_weight", false)]
    [InlineData("orthogonality", null, false)]
    public void One_slot_runs_with_each_estimator_named_in_the_configuration(string name, string? setting, bool fits)
    {
        var (outcome, experiment) = Run(("components.mi", name));

        experiment.Flat["components.mi"].Should().Be(name);
        if (setting is not null) experiment.Flat.Should().ContainKey($"hyper.mi.{setting}");
        var losses = outcome.Training.Epochs.Single(e => e.Epoch == 1).Losses;
        losses.Should().ContainKey("mi");
        double.IsFinite(losses["mi"]).Should().BeTrue();
        losses.ContainsKey("mi-fit").Should().Be(fits, "only estimators with a network get a fitting step");
    }

    [Fact]
    public void Component_settings_and_the_schedule_reach_the_estimator_and_the_engine()
    {
        int main = Probe.MainSteps, fit = Probe.FitSteps, full = Probe.FullGraphFits;
        Run(("components.mi", "club"), ("hyper.mi_schedule", "3/batch"), ("hyper.mi.hidden_size", "6"));
        int mainSteps = Probe.MainSteps - main;
        mainSteps.Should().BeGreaterThan(0);
        (Probe.FitSteps - fit).Should().Be(3 * mainSteps, "3/batch: three fits after every main step");
        (Probe.FullGraphFits - full).Should().Be(0);

        main = Probe.MainSteps; fit = Probe.FitSteps; full = Probe.FullGraphFits;
        Run(("components.mi", "club-sample"), ("hyper.mi_schedule", "4/epoch"), ("train.epochs", "2"));
        (Probe.FitSteps - fit).Should().Be(8, "4/epoch over two epochs");
        (Probe.FullGraphFits - full).Should().Be(8, "per-epoch fits see the full embeddings");

        var tooSmall = () => Run(("components.mi", "club"), ("hyper.mi.hidden_size", "1"));
        tooSmall.Should().Throw<ConfigurationException>().WithMessage("hyper.mi.hidden_size (test): 1 is out of range; expected an integer >= 2", "the resolver checks the declared range");
        var badSetting = () => Run(("components.mi", "infonce"), ("hyper.mi.hidden_size", "6"));
        badSetting.Should().Throw<ConfigurationException>().WithMessage("hyper.mi.hidden_size*is not a known setting of mi-estimator 'infonce' (slot mi); valid: bidirectional, intra_view, temperature");
    }

    [Fact]
    public void An_unknown_estimator_fails_before_training_with_the_valid_names()
    {
        var act = () => Run(("components.mi", "mine"));
        act.Should().Throw<ConfigurationException>()
            .WithMessage("components.mi: unknown mi-estimator 'mine'; valid: club, club-categorical, club-sample, conditional-infonce, infonce, learned-infonce, orthogonality");
    }
}
