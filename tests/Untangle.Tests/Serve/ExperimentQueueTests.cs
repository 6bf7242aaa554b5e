using Untangle.Host;
using Untangle.Host.Composition;
using Untangle.Host.Serve;

namespace Untangle.Tests.Serve;

public class ExperimentQueueTests
{
    private static ExperimentQueue Queue()
    {
        var queue = new ExperimentQueue(Scratch.Folder("untangle-queue-").FullName);
        queue.Prepare();
        return queue;
    }

    private static void Drop(ExperimentQueue queue, string name, DateTime written)
    {
        var path = Path.Combine(queue.Incoming, name);
        File.WriteAllText(path, "{}");
        File.SetLastWriteTimeUtc(path, written);
    }

    [Fact]
    public void Files_are_taken_oldest_first_into_running_under_a_run_id_and_other_names_are_ignored()
    {
        var queue = Queue();
        Drop(queue, "second.json", new DateTime(2026, 1, 2, 0, 0, 0, DateTimeKind.Utc));
        Drop(queue, "first.json", new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        File.WriteAllText(Path.Combine(queue.Incoming, "half-written.json.tmp"), "{");

        var a = queue.Take()!;
        var b = queue.Take()!;

        a.Experiment.Should().Be("first");
        b.Experiment.Should().Be("second");
        a.Path.Should().Be(Path.Combine(queue.Running, a.RunId + ".json"));
        File.Exists(a.Path).Should().BeTrue();
        queue.Take().Should().BeNull("the .tmp file is not an experiment yet");
        queue.Unfinished().Select(i => i.RunId).Should().BeEquivalentTo(a.RunId, b.RunId);
    }

    [Fact]
    public void Finished_and_failed_items_move_on_and_a_failure_keeps_its_error_beside_the_file()
    {
        var queue = Queue();
        Drop(queue, "good.json", DateTime.UtcNow);
        Drop(queue, "bad.json", DateTime.UtcNow.AddSeconds(1));
        var good = queue.Take()!;
        var bad = queue.Take()!;

        queue.Complete(good);
        queue.Fail(bad, "hyper.nope: not a known setting");

        File.Exists(Path.Combine(queue.Done, good.RunId + ".json")).Should().BeTrue();
        File.Exists(Path.Combine(queue.Failed, bad.RunId + ".json")).Should().BeTrue();
        File.ReadAllText(Path.Combine(queue.Failed, bad.RunId + ".error.txt")).Trim().Should().Be("hyper.nope: not a known setting");
        queue.Unfinished().Should().BeEmpty();
    }

    [Fact]
    public void An_experiment_file_may_extend_a_named_experiment_and_override_its_keys()
    {
        var dir = Scratch.Folder("untangle-extends-").FullName;
        var plugins = Path.Combine(dir, "plugins.json");
        File.WriteAllText(plugins, """{ "plugins": [], "experiments": { "base": { "method": "bpr-mf", "train": { "epochs": 50 } } } }""");
        var file = Path.Combine(dir, "short.json");
        File.WriteAllText(file, """{ "extends": "base", "train": { "epochs": 3 } }""");

        var (name, layers) = ExperimentFile.Read(file, PluginsFile.Load(plugins));

        name.Should().Be("short");
        layers.Should().HaveCount(2);
        layers[0].Values["train.epochs"].Should().Be("50");
        layers[1].Values["train.epochs"].Should().Be("3");
        layers[1].Values.Should().NotContainKey("extends");

        File.WriteAllText(file, """{ "extends": "missing" }""");
        FluentActions.Invoking(() => ExperimentFile.Read(file, PluginsFile.Load(plugins))).Should().Throw<ConfigurationException>()
            .WithMessage("*extends 'missing', which is not an experiment*experiments: base");
    }
}
