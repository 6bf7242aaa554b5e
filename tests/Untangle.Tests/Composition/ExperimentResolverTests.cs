using Microsoft.Extensions.Logging.Abstractions;
using Untangle.Host;
using Untangle.Host.Composition;
using Untangle.Host.Plugins;

namespace Untangle.Tests.Composition;

public class ExperimentResolverTests
{
    private static readonly ComponentCatalog Catalog = new PluginLoader(NullLogger.Instance)
        .Load(["GoodFixture", "plugins/Foundation"], [Path.Combine(AppContext.BaseDirectory, "fixture-plugins"), AppContext.BaseDirectory]);

    private static ConfigSource Layer(string origin, params (string Key, string Value)[] values) =>
        new(origin, values.ToDictionary(v => v.Key, v => v.Value));

    private static ResolvedExperiment Resolve(params ConfigSource[] layers) => new ExperimentResolver(Catalog).Resolve("test", layers);

    [Fact]
    public void Layers_apply_in_order_and_defaults_fill_the_rest()
    {
        var experiment = Resolve(
            Layer("plugins.json", ("method", "fixture-method"), ("hyper.width", "16"), ("hyper.rate", "0.25")),
            Layer("config.json", ("hyper.width", "32")),
            Layer("--set", ("hyper.graph.top_k", "3"), ("train.epochs", "7")));

        experiment.Hyper.Int("width").Should().Be(32);
        experiment.Hyper.Float("rate").Should().Be(0.25);
        experiment.Slots["graph"].Component.Name.Should().Be("fixture-graph");
        experiment.Slots["graph"].Settings.Int("top_k").Should().Be(3);
        experiment.Run.Epochs.Should().Be(7);
        experiment.Run.BatchSize.Should().Be(2048, "the engine's default");
        experiment.Flat.Should().Contain("hyper.width", "32").And.Contain("hyper.graph.top_k", "3")
            .And.Contain("train.epochs", "7").And.Contain("dataset.reader", "synthetic");
    }

    [Fact]
    public void An_unknown_method_lists_the_valid_ones()
    {
        var act = () => Resolve(Layer("x", ("method", "no-such-method")));
        act.Should().Throw<ConfigurationException>()
            .WithMessage("method: unknown method 'no-such-method'; valid: *fixture-method*lightgcn*; a plugin outside plugins.json loads with --plugins-dir DIR or from the user plugins folder *");
    }

    [Fact]
    public void An_unknown_component_for_a_slot_lists_the_valid_ones()
    {
        var act = () => Resolve(Layer("x", ("method", "fixture-method"), ("components.graph", "nope")));
        act.Should().Throw<ConfigurationException>()
            .WithMessage("components.graph: unknown graph-builder 'nope'; valid: fixture-graph, user-item");
    }

    [Fact]
    public void A_component_from_another_plugin_can_fill_a_slot()
    {
        var experiment = Resolve(Layer("x", ("method", "fixture-method"), ("components.graph", "user-item")));
        experiment.Slots["graph"].Component.Plugin.Should().Be("Foundation");
    }

    [Fact]
    public void An_unknown_hyper_parameter_lists_the_valid_ones_and_names_its_layer()
    {
        var act = () => Resolve(Layer("x", ("method", "fixture-method")), Layer("--set", ("hyper.depth", "3")));
        act.Should().Throw<ConfigurationException>()
            .WithMessage("hyper.depth (--set) is not a known setting of method 'fixture-method'; valid: rate, width");
    }

    [Fact]
    public void Switching_the_protocol_leaves_out_the_options_written_for_the_old_one_and_says_so()
    {
        var experiment = Resolve(
            Layer("plugins.json experiment 'e'", ("method", "lightgcn"), ("protocol.name", "weak-random"), ("protocol.scheme", "ratio"), ("protocol.train_ratio", "0.7")),
            Layer("--set", ("protocol.name", "weak-temporal")));

        experiment.ProtocolName.Should().Be("weak-temporal");
        experiment.ProtocolOptions.Float("train_ratio").Should().Be(0.7, "a setting the new protocol also has is kept");
        experiment.Flat.Keys.Should().NotContain("protocol.scheme");
        experiment.Dropped.Should().ContainSingle().Which.Should().Be(
            "protocol.scheme (plugins.json experiment 'e') left out: it was set for protocol.name = weak-random, which --set replaced with weak-temporal");
    }

    [Fact]
    public void A_setting_given_with_the_new_protocol_is_still_checked_and_an_empty_list_is_never_printed()
    {
        var act = () => Resolve(
            Layer("plugins.json experiment 'e'", ("method", "lightgcn"), ("protocol.scheme", "ratio")),
            Layer("--set", ("protocol.name", "presplit"), ("protocol.scheme", "ratio")));

        act.Should().Throw<ConfigurationException>()
            .WithMessage("protocol.scheme (--set) is not a known setting; protocol 'presplit' takes no settings")
            .Which.Message.Should().NotContain("valid: ");
    }

    [Fact]
    public void Switching_a_slots_component_or_the_method_leaves_out_what_was_set_for_the_old_one()
    {
        var slot = Resolve(
            Layer("x", ("method", "fixture-method"), ("components.graph", "fixture-graph"), ("hyper.graph.top_k", "3")),
            Layer("--set", ("components.graph", "user-item")));
        slot.Slots["graph"].Component.Name.Should().Be("user-item");
        slot.Dropped.Should().ContainSingle().Which.Should().StartWith("hyper.graph.top_k (x) left out: it was set for components.graph = fixture-graph");

        var method = Resolve(
            Layer("x", ("method", "fixture-method"), ("hyper.width", "16"), ("hyper.graph.top_k", "3"), ("components.graph", "fixture-graph")),
            Layer("--set", ("method", "bpr-mf")));
        method.MethodName.Should().Be("bpr-mf");
        method.Dropped.Select(d => d.Split(' ')[0]).Should().BeEquivalentTo("hyper.width", "hyper.graph.top_k", "components.graph");

        // Without a switch, the same unknown key is an error, as before.
        FluentActions.Invoking(() => Resolve(Layer("x", ("method", "bpr-mf"), ("hyper.width", "16"))))
            .Should().Throw<ConfigurationException>().WithMessage("hyper.width (x) is not a known setting of method 'bpr-mf'; valid: *");
    }

    [Fact]
    public void A_value_of_the_wrong_type_names_the_key_and_the_expected_type()
    {
        var act = () => Resolve(Layer("x", ("method", "fixture-method"), ("hyper.width", "wide")));
        act.Should().Throw<ConfigurationException>().WithMessage("hyper.width (x): 'wide' is not a valid integer");
    }

    [Fact]
    public void Unknown_keys_slots_and_metrics_are_refused()
    {
        FluentActions.Invoking(() => Resolve(Layer("x", ("method", "fixture-method"), ("trian.epochs", "3"))))
            .Should().Throw<ConfigurationException>().WithMessage("trian.epochs (x): unknown key*");
        FluentActions.Invoking(() => Resolve(Layer("x", ("method", "fixture-method"), ("components.encoder", "lightgcn"))))
            .Should().Throw<ConfigurationException>().WithMessage("*has no slot 'encoder'; slots: graph");
        FluentActions.Invoking(() => Resolve(Layer("x", ("method", "fixture-method"), ("eval.metrics", "ndcg@10,auc@10"))))
            .Should().Throw<ConfigurationException>().WithMessage("eval.metrics (auc@10): unknown metric 'auc'; valid: *ndcg*");
        FluentActions.Invoking(() => Resolve(Layer("x", ("method", "fixture-method"), ("eval.metrics", "ndcg"))))
            .Should().Throw<ConfigurationException>().WithMessage("eval.metrics: metric \"ndcg\" has no cutoff K*");
    }

    [Fact]
    public void The_validation_metric_is_always_computed()
    {
        var experiment = Resolve(Layer("x", ("method", "fixture-method"), ("eval.metrics", "recall@10"), ("eval.validation_metric", "ndcg@5")));
        experiment.Metrics.Select(m => m.Display).Should().Equal("ndcg@5", "recall@10");
    }
}
