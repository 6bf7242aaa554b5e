using Microsoft.Extensions.Logging.Abstractions;
using TorchSharp;
using Untangle.Contracts.Components;
using Untangle.Contracts.Data;
using Untangle.Contracts.Evaluation;
using Untangle.Contracts.Training;
using Untangle.Host.Training;
using Untangle.Host.Training.Checkpoints;
using static TorchSharp.torch;

namespace Untangle.Tests.Training;

public class TrainerTests
{
    // 4 users × 6 items, 2 items each: 8 interactions.
    private static readonly Interactions Train = Build(4, 6, (0, 0), (0, 1), (1, 2), (1, 3), (2, 4), (2, 5), (3, 0), (3, 5));

    private static Interactions Build(int rows, int cols, params (int R, int C)[] entries)
    {
        var b = new InteractionsBuilder(rows, cols);
        foreach (var (r, c) in entries) b.Add(r, c);
        return b.Build();
    }

    private static readonly EvaluationSet NoUsers = new()
    {
        Name = "validation", Users = [], DatasetUsers = [], Known = Interactions.Empty(0, 6), Targets = Interactions.Empty(0, 6),
    };

    /// <summary>A one-parameter model whose loss is (w - target)^2, with a trace of what ran.</summary>
    private sealed class Probe : nn.Module
    {
        public readonly TorchSharp.Modules.Parameter w = nn.Parameter(tensor(0f));
        public Probe() : base("probe") => RegisterComponents();
    }

    private static (Trainer Trainer, List<string> Trace, Probe Probe) Make(
        IReadOnlyList<double> validation, int epochs, int patience, Func<StepContext, Tensor>? mainLoss = null, string? folder = null)
    {
        var trace = new List<string>();
        var probe = new Probe();
        int evaluations = 0;
        var graph = new TrainingGraph
        {
            Steps =
            [
                new OptimizationStep
                {
                    Name = "critic", Parameters = [probe.w], Optimizer = OptimizerSpec.Sgd(0.1), Schedule = Schedule.RepeatPerBatch(2),
                    Loss = ctx => { trace.Add($"critic e{ctx.Batch.Epoch}b{ctx.Batch.Index}"); return (probe.w - 1).pow(2); },
                },
                new OptimizationStep
                {
                    Name = "main", Parameters = [probe.w], Optimizer = OptimizerSpec.Sgd(0.1),
                    Loss = mainLoss ?? (ctx => { trace.Add($"main e{ctx.Batch.Epoch}b{ctx.Batch.Index}"); ctx.Record("term", 2.0); return (probe.w - 2).pow(2); }),
                },
                new OptimizationStep
                {
                    Name = "fit", Parameters = [probe.w], Optimizer = OptimizerSpec.Sgd(0.1), Schedule = Schedule.PerEpoch(1),
                    Loss = ctx => { trace.Add($"fit e{ctx.Batch.Epoch} {ctx.Batch.Kind}"); return (probe.w - 3).pow(2); },
                },
                new OptimizationStep
                {
                    Name = "rare", Parameters = [probe.w], Optimizer = OptimizerSpec.Sgd(0.1), Schedule = Schedule.EveryNBatches(3),
                    Loss = ctx => { trace.Add($"rare g{ctx.Batch.GlobalBatch}"); return (probe.w - 4).pow(2); },
                },
            ],
            Systems =
            [
                new StageSystem("before-epoch", Stage.BeforeEpoch, s => trace.Add($"[before epoch {s.Epoch}]")),
                new StageSystem("after-epoch", Stage.AfterEpoch, s => { trace.Add($"[after epoch {s.Epoch}]"); s.Record("after_epoch_value", 10.0 * s.Epoch); }),
            ],
            Scorer = new Scorer(b => zeros(b.Users.shape[0], 6)),
            Modules = new Dictionary<string, nn.Module> { ["probe"] = probe },
        };
        var trainer = new Trainer(NullLogger.Instance)
        {
            Graph = graph,
            Batches = new TrainingBatches(BatchKind.Triples, Train, batchSize: 4, seed: 7, CPU),
            Device = CPU,
            Epochs = epochs,
            EvalEvery = 1,
            Patience = patience,
            ValidationMetric = "ndcg@5",
            HigherIsBetter = true,
            ValidationSet = NoUsers,
            Evaluate = _ =>
            {
                // The score is scripted, and the probe's weight is recorded so the restored checkpoint can be checked.
                var value = validation[Math.Min(evaluations, validation.Count - 1)];
                evaluations++;
                trace.Add($"validate w={probe.w.item<float>():F4}");
                return new Dictionary<string, MetricResult> { ["ndcg@5"] = MetricResult.FromPerUser([value]) };
            },
            Checkpoints = new CheckpointFolder(folder ?? Scratch.Folder("untangle-ckpt-").FullName),
            Config = "trainer-tests",
        };
        return (trainer, trace, probe);
    }

    [Fact]
    public void Steps_run_in_declared_order_per_their_schedules_with_systems_at_their_stages()
    {
        var (trainer, trace, _) = Make([0.1], epochs: 1, patience: 0);

        trainer.Train();

        // 8 triples in batches of 4: two batches. Per-epoch steps run after the before-epoch systems on a full-graph batch.
        trace.Where(t => !t.StartsWith("validate")).Should().Equal(
            "[before epoch 1]", "fit e1 FullGraph",
            "critic e1b0", "critic e1b0", "main e1b0", "rare g0",
            "critic e1b1", "critic e1b1", "main e1b1",
            "[after epoch 1]");
    }

    [Fact]
    public void A_value_a_system_records_after_an_epoch_joins_that_epochs_log()
    {
        var (trainer, _, _) = Make([0.1, 0.2, 0.3], epochs: 3, patience: 0);

        var outcome = trainer.Train();

        outcome.Epochs.Select(e => e.Losses["after_epoch_value"]).Should().Equal(10.0, 20.0, 30.0);
        outcome.Epochs.Should().OnlyContain(e => e.Losses["term"] == 2.0, "the steps' own terms are still there");
    }

    [Fact]
    public void Early_stopping_keeps_the_best_epoch_and_restores_its_checkpoint()
    {
        var (trainer, trace, probe) = Make([0.1, 0.5, 0.3, 0.2, 0.4], epochs: 10, patience: 3);

        var outcome = trainer.Train();

        outcome.BestEpoch.Should().Be(2);
        outcome.StoppedEarly.Should().BeTrue();
        outcome.Epochs.Should().HaveCount(5, "epochs 3, 4 and 5 did not improve on epoch 2");
        outcome.Validation["ndcg@5"].Mean.Should().Be(0.5);
        var atBest = trace.Where(t => t.StartsWith("validate")).ElementAt(1);
        $"validate w={probe.w.item<float>():F4}".Should().Be(atBest, "the best epoch's weights are restored");
    }

    [Fact]
    public void A_nan_loss_stops_the_run_naming_the_step_and_epoch()
    {
        var (trainer, _, _) = Make([0.1], epochs: 3, patience: 0, mainLoss: ctx => ctx.Batch.Epoch == 2 ? tensor(float.NaN) * nn.Parameter(tensor(1f)) : tensor(1f, requires_grad: true));

        var act = () => trainer.Train();

        act.Should().Throw<NonFiniteLossException>().WithMessage("step 'main' produced a NaN loss (NaN) at epoch 2, batch 0");
    }

    [Fact]
    public void Loss_terms_and_step_losses_are_averaged_per_epoch()
    {
        var (trainer, _, _) = Make([0.1], epochs: 1, patience: 0);
        var outcome = trainer.Train();
        outcome.Epochs[0].Losses.Should().ContainKeys("critic", "main", "fit", "rare");
        outcome.Epochs[0].Losses["term"].Should().Be(2.0);
    }

    [Fact]
    public void The_same_seed_gives_the_same_batches_and_negatives_are_never_training_items()
    {
        static List<long[]> Negatives(int seed)
        {
            var batches = new TrainingBatches(BatchKind.Triples, Train, 3, seed, CPU);
            var result = new List<long[]>();
            foreach (var batch in batches.Epoch(1, 0))
            {
                var users = batch.Users.data<long>().ToArray();
                var negatives = batch.Negatives!.data<long>().ToArray();
                for (int i = 0; i < users.Length; i++)
                    Train.Contains((int)users[i], (int)negatives[i]).Should().BeFalse();
                result.Add(negatives);
            }
            return result;
        }

        Negatives(11).Should().BeEquivalentTo(Negatives(11), o => o.WithStrictOrdering());
        Negatives(11).SelectMany(x => x).Should().NotEqual(Negatives(12).SelectMany(x => x));
    }

    [Fact]
    public void User_row_batches_cover_every_user_with_items_once_per_epoch()
    {
        var batches = new TrainingBatches(BatchKind.UserRows, Train, 3, 1, CPU);
        var seen = new List<long>();
        foreach (var batch in batches.Epoch(1, 0))
        {
            var users = batch.Users.data<long>().ToArray();
            seen.AddRange(users);
            var dense = batch.DenseRows();
            dense.shape.Should().Equal(users.Length, 6);
            dense.sum().item<float>().Should().Be(users.Sum(u => Train.RowLength((int)u)));
        }
        seen.Should().BeEquivalentTo([0L, 1, 2, 3]);
        batches.PerEpoch.Should().Be(2);
    }

    [Theory]
    [InlineData(BatchKind.Triples, 3)]
    [InlineData(BatchKind.UserRows, 1)]
    public void A_batch_limit_keeps_the_first_batches_of_the_epoch_as_drawn_without_it(BatchKind kind, int batchSize)
    {
        static List<long[]> Users(TrainingBatches batches) => batches.Epoch(2, 0).Select(b => b.Users.data<long>().ToArray()).ToList();
        var whole = new TrainingBatches(kind, Train, batchSize, 5, CPU);
        var limited = new TrainingBatches(kind, Train, batchSize, 5, CPU) { Limit = 2 };

        var all = Users(whole);
        all.Should().HaveCountGreaterThan(2);
        limited.PerEpoch.Should().Be(2);
        limited.Full.Should().Be(whole.PerEpoch).And.Be(all.Count);
        Users(limited).Should().BeEquivalentTo(all.Take(2), o => o.WithStrictOrdering());
        new TrainingBatches(kind, Train, batchSize, 5, CPU) { Limit = 100 }.PerEpoch.Should().Be(all.Count, "a limit above the epoch changes nothing");
    }

    [Fact]
    public void Adam_betas_from_the_step_reach_the_optimizer()
    {
        // One Adam step from w = 0 on (w - 1)^2 moves w by lr * m_hat / (sqrt(v_hat) + eps) = lr whatever the betas;
        // the second step differs: with beta1 = 0.5 the first gradient is forgotten faster.
        static float TwoSteps((double, double) betas)
        {
            var probe = new Probe();
            var step = new OptimizationStep
            {
                Name = "s", Parameters = [probe.w], Optimizer = OptimizerSpec.Adam(0.1, betas),
                Loss = _ => (probe.w - 1).pow(2) * (probe.w + 3),
            };
            using var runner = new StepRunner(step);
            var batch = TrainingBatches.FullGraph(1, 0, 0, CPU);
            runner.Run(batch, (_, _) => { });
            runner.Run(batch, (_, _) => { });
            return probe.w.item<float>();
        }

        TwoSteps((0.5, 0.9)).Should().NotBeApproximately(TwoSteps((0.9, 0.999)), 1e-4f);
    }
}

