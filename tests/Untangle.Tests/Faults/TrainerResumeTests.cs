using Microsoft.Extensions.Logging.Abstractions;
using TorchSharp;
using Untangle.Contracts.Components;
using Untangle.Contracts.Data;
using Untangle.Contracts.Evaluation;
using Untangle.Contracts.Training;
using Untangle.Host.Training;
using Untangle.Host.Training.Checkpoints;
using Untangle.Tests.Training;
using static TorchSharp.torch;

namespace Untangle.Tests.Faults;

/// <summary>
/// The trainer's own state across a resume, on a one-weight model whose loss draws from the torch
/// generator and the method's random source, trained with Adam: a resumed run ends with the same
/// weight, the same epochs and the same early-stopping decision as the run never stopped.
/// </summary>
[Collection(TorchGeneratorCollection.Name)]
public class TrainerResumeTests
{
    private static readonly Interactions Train = Build(4, 6, (0, 0), (0, 1), (1, 2), (1, 3), (2, 4), (2, 5), (3, 0), (3, 5));

    private static Interactions Build(int rows, int cols, params (int R, int C)[] entries)
    {
        var b = new InteractionsBuilder(rows, cols);
        foreach (var (r, c) in entries) b.Add(r, c);
        return b.Build();
    }

    private sealed class Probe : nn.Module
    {
        public readonly TorchSharp.Modules.Parameter w = nn.Parameter(tensor(0f));
        public Probe() : base("probe") => RegisterComponents();
    }

    private sealed class StopAt(int epoch, int batch, CancellationTokenSource stop) : ITrainingProgress
    {
        public void Started(int epochs, int batchesPerEpoch, int e, int done) { }
        public void BatchDone(int e, int done, IReadOnlyDictionary<string, double> lastLosses)
        {
            if (e == epoch && done == batch) stop.Cancel();
        }
        public void EpochDone(EpochRecord record, string validationMetric, bool best) { }
        public void Finished() { }
    }

    /// <summary>Validation scores scripted per epoch: 0.1, 0.5 (best), 0.3, 0.2, 0.4, ... so patience 3 stops after epoch 5.</summary>
    private static readonly double[] Script = [0.1, 0.5, 0.3, 0.2, 0.4, 0.45, 0.49, 0.3];

    private static (Trainer Trainer, Probe Probe) Make(string folder, bool resume, ITrainingProgress? progress = null, string config = "probe-config")
    {
        torch.random.manual_seed(1);
        var probe = new Probe();
        var random = new RunRandom(5);
        int epoch = 0;
        var graph = new TrainingGraph
        {
            Steps =
            [
                new OptimizationStep
                {
                    Name = "main", Parameters = [probe.w], Optimizer = OptimizerSpec.Adam(0.05),
                    Loss = _ => (probe.w - 2 - rand(1).sum() - random.NextDouble()).pow(2),
                },
            ],
            Systems = [new StageSystem("epoch", Stage.AfterEpoch, s => epoch = s.Epoch)],
            Scorer = new Scorer(b => zeros(b.Users.shape[0], 6)),
            Modules = new Dictionary<string, nn.Module> { ["probe"] = probe },
        };
        var trainer = new Trainer(NullLogger.Instance)
        {
            Graph = graph,
            Batches = new TrainingBatches(BatchKind.Triples, Train, batchSize: 2, seed: 9, CPU),
            Device = CPU,
            Epochs = Script.Length,
            EvalEvery = 1,
            Patience = 3,
            ValidationMetric = "ndcg@5",
            HigherIsBetter = true,
            ValidationSet = new EvaluationSet { Name = "validation", Users = [], DatasetUsers = [], Known = Interactions.Empty(0, 6), Targets = Interactions.Empty(0, 6) },
            Evaluate = _ => new Dictionary<string, MetricResult> { ["ndcg@5"] = MetricResult.FromPerUser([Script[epoch - 1]]) },
            Checkpoints = new CheckpointFolder(folder),
            Config = config,
            MethodRandom = random,
            Resume = resume,
            Progress = progress,
        };
        return (trainer, probe);
    }

    [Fact]
    public void A_resumed_run_keeps_the_weights_optimizer_randomness_and_early_stopping_of_the_uninterrupted_one()
    {
        var (whole, wholeProbe) = Make(Scratch.Folder("untangle-whole-").FullName, resume: false);
        var expected = whole.Train();
        var expectedWeight = wholeProbe.w.item<float>();

        var folder = Scratch.Folder("untangle-part-").FullName;
        using var stop = new CancellationTokenSource();
        var (first, _) = Make(folder, resume: false, new StopAt(4, 2, stop));
        // Epoch 3 did not improve on epoch 2; the stop comes half-way through epoch 4.
        FluentActions.Invoking(() => first.Train(stop.Token)).Should().Throw<TrainingInterrupted>().Which.Epoch.Should().Be(4);
        var (second, probe) = Make(folder, resume: true);
        var resumed = second.Train();

        expected.StoppedEarly.Should().BeTrue();
        expected.Epochs.Should().HaveCount(5);
        resumed.BestEpoch.Should().Be(2, "the best value and the evaluations since it came through the checkpoint");
        resumed.StoppedEarly.Should().BeTrue();
        resumed.Epochs.Select(e => e.Losses["main"]).Should().Equal(expected.Epochs.Select(e => e.Losses["main"]));
        probe.w.item<float>().Should().Be(expectedWeight, "the best epoch's weight is restored in both");
    }

    [Fact]
    public void A_checkpoint_written_by_another_configuration_is_refused()
    {
        var folder = Scratch.Folder("untangle-other-").FullName;
        using var stop = new CancellationTokenSource();
        var (first, _) = Make(folder, resume: false, new StopAt(1, 2, stop));
        FluentActions.Invoking(() => first.Train(stop.Token)).Should().Throw<TrainingInterrupted>();

        var (other, _) = Make(folder, resume: true, config: "another-config");

        FluentActions.Invoking(() => other.Train()).Should().Throw<CorruptCheckpointException>().WithMessage("*written by a run with another configuration*");
    }
}
