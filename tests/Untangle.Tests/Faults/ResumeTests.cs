using Microsoft.Extensions.Logging.Abstractions;
using Untangle.Host.Composition;
using Untangle.Host.Plugins;
using Untangle.Host.Training;
using Untangle.Host.Training.Checkpoints;
using Untangle.Tests.Training;

namespace Untangle.Tests.Faults;

/// <summary>
/// A run stopped part-way — on request, or by a crash at a precise batch — and resumed from its
/// checkpoint ends with exactly the metrics of the run that was never stopped.
/// </summary>
[Collection(TorchGeneratorCollection.Name)]
public class ResumeTests
{
    private static readonly ComponentCatalog Catalog = new PluginLoader(NullLogger.Instance).Load(["plugins/Foundation"], [AppContext.BaseDirectory]);

    private static ResolvedExperiment Experiment(string method) => new ExperimentResolver(Catalog).Resolve("resume", [new ConfigSource("test", new Dictionary<string, string>
    {
        ["method"] = method, ["dataset.reader"] = "synthetic", ["dataset.users"] = "150", ["dataset.items"] = "80",
        ["protocol.name"] = "weak-random", ["train.epochs"] = "3", ["train.batch_size"] = "256", ["train.seed"] = "3",
        ["eval.metrics"] = "ndcg@10,recall@10",
    })]);

    private static RunOutcome Run(ResolvedExperiment experiment, string folder, RunOptions? options = null, CancellationToken cancel = default) =>
        new ExperimentRun(NullLoggerFactory.Instance).Execute(experiment, folder, cancel, options);


    private sealed class SimulatedCrash : Exception;

    [Theory]
    [InlineData("bpr-mf")]
    [InlineData("lightgcn")]
    public void A_run_stopped_mid_epoch_resumes_to_the_metrics_of_the_uninterrupted_run(string method)
    {
        var experiment = Experiment(method);
        var uninterrupted = Run(experiment, Scratch.Folder("untangle-whole-").FullName);
        var folder = Scratch.Folder("untangle-stopped-").FullName;
        using var stop = new CancellationTokenSource();

        var interrupted = () => Run(experiment, folder, new RunOptions { Progress = new AtBatch(2, 3, stop.Cancel) }, stop.Token);

        interrupted.Should().Throw<TrainingInterrupted>().Which.BatchesDone.Should().Be(3);
        File.Exists(Path.Combine(folder, "metrics.json")).Should().BeFalse();
        var resumed = Run(experiment, folder, new RunOptions { Resume = true });
        SameRun.ShouldMatch(resumed, uninterrupted);
        File.ReadLines(Path.Combine(folder, "epochs.jsonl")).Should().HaveCount(3);
    }

    [Fact]
    public void A_run_that_crashed_mid_epoch_resumes_from_the_last_epoch_checkpoint_to_the_same_metrics()
    {
        var experiment = Experiment("bpr-mf");
        var uninterrupted = Run(experiment, Scratch.Folder("untangle-whole-").FullName);
        var folder = Scratch.Folder("untangle-crashed-").FullName;

        // The crash strikes after batch 2 of epoch 3: nothing is written then, the newest snapshot is epoch 2's.
        var crashed = () => Run(experiment, folder, new RunOptions { Progress = new AtBatch(3, 2, () => throw new SimulatedCrash()) });

        crashed.Should().Throw<SimulatedCrash>();
        TrainingState.Read(new CheckpointFolder(Path.Combine(folder, "checkpoint")).Latest()!).Epoch.Should().Be(2);
        var resumed = Run(experiment, folder, new RunOptions { Resume = true });
        SameRun.ShouldMatch(resumed, uninterrupted);
    }
}
