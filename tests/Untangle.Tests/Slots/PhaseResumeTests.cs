using Microsoft.Extensions.Logging.Abstractions;
using Untangle.Host.Composition;
using Untangle.Host.Plugins;
using Untangle.Host.Training;
using Untangle.Host.Training.Checkpoints;
using Untangle.Tests.Faults;
using Untangle.Tests.Training;

namespace Untangle.Tests.Slots;

/// <summary>
/// Pretraining runs as engine phases: a run stopped inside a phase continues it from its last epoch,
/// a run stopped after it restores it without training it again, and both end with exactly the metrics
/// of the run that was never stopped. DCID with a learned critic in its contrast slot is the cross-paper
/// mix whose critic the engine fits inside the phase.
/// </summary>
[Collection(TorchGeneratorCollection.Name)]
public class PhaseResumeTests
{
    private static readonly ComponentCatalog Catalog = new PluginLoader(NullLogger.Instance)
        .Load(["plugins/Foundation", "plugins/InfoBounds", "plugins/Dcid", "plugins/Pamd", "plugins/FairMi"], [AppContext.BaseDirectory]);

    private static ResolvedExperiment Experiment(string method, string? contrast = null)
    {
        var values = new Dictionary<string, string>
        {
            ["method"] = method, ["dataset.reader"] = "synthetic", ["dataset.users"] = "120", ["dataset.items"] = "70",
            ["protocol.name"] = "weak-random", ["train.epochs"] = "2", ["train.batch_size"] = "256", ["train.seed"] = "9",
            ["hyper.embedding_size"] = "8", ["eval.metrics"] = "ndcg@10,recall@10",
        };
        if (method is "dcid" or "pamd")
            (values["hyper.pretrain_epochs"], values["hyper.pretrain_batch_size"]) = ("6", "16");
        if (method == "fairmi-bpr")
            foreach (var (k, v) in new Dictionary<string, string>
            {
                ["hyper.sensitive_epochs"] = "5", ["hyper.p_epochs"] = "6", ["hyper.p_patience"] = "10", ["hyper.upper_schedule"] = "2/epoch",
            })
                values[k] = v;
        if (method == "dcid")
            foreach (var (k, v) in new Dictionary<string, string>
            {
                ["hyper.common_size"] = "4", ["hyper.specific_size"] = "3", ["hyper.hidden_size"] = "8", ["hyper.codebook_size"] = "6",
                ["hyper.club_schedule"] = "2/batch", ["hyper.club.hidden_size"] = "16",
            })
                values[k] = v;
        if (contrast is not null) values["components.contrast"] = contrast;
        return new ExperimentResolver(Catalog).Resolve("phases", [new ConfigSource("test", values)]);
    }

    private static RunOutcome Run(ResolvedExperiment experiment, string folder, RunOptions? options = null, CancellationToken cancel = default) =>
        new ExperimentRun(NullLoggerFactory.Instance).Execute(experiment, folder, cancel, options);

    /// <summary>Counts the phase epochs trained in this process, and stops the run at epoch 3 of a phase or at a main-loop batch.</summary>
    private sealed class Watch(string? stopPhase = null, Action? atPhaseEpoch3 = null, Action? atMainBatch1 = null) : ITrainingProgress
    {
        public int PhaseEpochs { get; private set; }
        public void Started(int epochs, int batchesPerEpoch, int epoch, int batchesDone) { }
        public void BatchDone(int epoch, int batchesDone, IReadOnlyDictionary<string, double> lastLosses)
        {
            if (epoch == 1 && batchesDone == 1) atMainBatch1?.Invoke();
        }
        public void EpochDone(EpochRecord record, string validationMetric, bool best) { }
        public void Finished() { }
        public void PhaseEpochDone(string phase, int epoch, int epochs, IReadOnlyDictionary<string, double> losses)
        {
            PhaseEpochs++;
            if (epoch == 3 && phase == stopPhase) atPhaseEpoch3?.Invoke();
        }
    }

    [Theory]
    [InlineData("dcid", null, "representation", 6, 3)]
    [InlineData("dcid", "learned-infonce", "representation", 6, 3)]
    [InlineData("pamd", null, "pretraining", 6, 3)]
    [InlineData("fairmi-bpr", null, "preference", 5 + 6, 3)] // s's 5 epochs are restored, p's last 3 are left
    public void A_run_stopped_inside_its_pretraining_phase_continues_the_phase_and_ends_with_the_uninterrupted_metrics(
        string method, string? contrast, string phase, int phaseEpochs, int leftAfterStop)
    {
        var experiment = Experiment(method, contrast);
        var whole = new Watch();
        var uninterrupted = Run(experiment, Scratch.Folder("untangle-phase-whole-").FullName, new RunOptions { Progress = whole });
        whole.PhaseEpochs.Should().Be(phaseEpochs);
        var folder = Scratch.Folder("untangle-phase-stopped-").FullName;
        using var stop = new CancellationTokenSource();

        var interrupted = () => Run(experiment, folder, new RunOptions { Progress = new Watch(phase, atPhaseEpoch3: stop.Cancel) }, stop.Token);

        interrupted.Should().Throw<TrainingInterrupted>().Which.Epoch.Should().Be(3);
        PhaseState.Read(new CheckpointFolder(Path.Combine(folder, "checkpoint", $"phase-{phase}")).Latest()!).Should()
            .Match<PhaseState>(s => s.Epoch == 3 && !s.Finished);
        var resumedWatch = new Watch();
        var resumed = Run(experiment, folder, new RunOptions { Resume = true, Progress = resumedWatch });

        resumedWatch.PhaseEpochs.Should().Be(leftAfterStop, "the epochs after 3 are left; finished phases and epochs 1 to 3 are not trained again");
        SameRun.ShouldMatch(resumed, uninterrupted);
    }

    [Theory]
    [InlineData("dcid")]
    [InlineData("pamd")]
    [InlineData("fairmi-bpr")]
    public void A_run_stopped_after_its_phase_restores_the_phase_instead_of_training_it_again(string method)
    {
        var experiment = Experiment(method);
        var uninterrupted = Run(experiment, Scratch.Folder("untangle-phase-whole-").FullName);
        var folder = Scratch.Folder("untangle-phase-main-").FullName;
        using var stop = new CancellationTokenSource();

        var interrupted = () => Run(experiment, folder, new RunOptions { Progress = new Watch(atMainBatch1: stop.Cancel) }, stop.Token);
        interrupted.Should().Throw<TrainingInterrupted>();
        var resumedWatch = new Watch();
        var resumed = Run(experiment, folder, new RunOptions { Resume = true, Progress = resumedWatch });

        resumedWatch.PhaseEpochs.Should().Be(0, "the finished phase is restored from its checkpoint");
        SameRun.ShouldMatch(resumed, uninterrupted);
    }

    private sealed class SimulatedCrash : Exception;

    [Fact]
    public void A_run_that_crashed_in_its_second_phase_restores_the_first_and_ends_with_the_uninterrupted_metrics()
    {
        // FairMI trains s (5 epochs), then p (6): a crash in p's epoch 3, before any periodic phase snapshot.
        var experiment = Experiment("fairmi-bpr");
        var uninterrupted = Run(experiment, Scratch.Folder("untangle-phase-whole-").FullName);
        var folder = Scratch.Folder("untangle-phase-crashed-").FullName;

        var crashed = () => Run(experiment, folder, new RunOptions { Progress = new Watch("preference", atPhaseEpoch3: () => throw new SimulatedCrash()) });
        crashed.Should().Throw<SimulatedCrash>();
        var resumedWatch = new Watch();
        var resumed = Run(experiment, folder, new RunOptions { Resume = true, Progress = resumedWatch });

        resumedWatch.PhaseEpochs.Should().Be(6, "s finished and is restored; p had no snapshot yet and trains again from its start");
        SameRun.ShouldMatch(resumed, uninterrupted);
    }

    [Fact]
    public void A_learned_critic_in_dcids_contrast_slot_is_fitted_inside_the_phase_and_checkpointed()
    {
        var experiment = Experiment("dcid", "learned-infonce");
        experiment.Slots["contrast"].EngineFits.Should().BeTrue();
        var folder = Scratch.Folder("untangle-dcid-learned-").FullName;

        Run(experiment, folder);

        var phaseSnapshot = new CheckpointFolder(Path.Combine(folder, "checkpoint", "phase-representation")).Latest()!;
        PhaseState.Read(phaseSnapshot).Steps.Should().Equal("representation", "club_fit", "fit:contrast");
        PhaseState.Read(phaseSnapshot).LastEpoch.Keys.Should().Contain(["fit:contrast", "learned-infonce", "club.image"],
            "the engine fits the critic, and the term is named after the component in the slot");
        File.Exists(Path.Combine(phaseSnapshot, "modules", "slot.contrast.pt")).Should().BeTrue();
        var main = new CheckpointFolder(Path.Combine(folder, "checkpoint")).Latest()!;
        File.Exists(Path.Combine(main, "modules", "slot.contrast.pt")).Should().BeTrue("every slot module is in the run's checkpoint");
    }
}
