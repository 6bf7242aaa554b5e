using TorchSharp.Modules;
using Untangle.Contracts.Training;
using Untangle.Host.Training;
using static TorchSharp.torch;

namespace Untangle.Tests.Training;

/// <summary>
/// train.row_updates through the engine's StepRunner: deferred row updates give dense Adam's table,
/// lazy ones step only the rows read, with dense Adam's result for a row read every step.
/// </summary>
public class RowUpdatesTests
{
    private const int Rows = 600, Width = 6;

    [Fact]
    public void Deferred_updates_give_dense_adams_table_after_settling()
    {
        // 400 steps: rows read often, rarely (310 steps apart, past the replay horizon of 264) and never.
        var dense = Train(RowUpdates.Dense, steps: 400);
        var deferred = Train(RowUpdates.Deferred, steps: 400);

        var moved = dense.Select((x, i) => Math.Abs(x - Start()[i])).Max();
        moved.Should().BeGreaterThan(0.05f, "the steps moved the table");
        Differences(deferred, dense).Should().BeLessThan(2e-5f, "deferred updates compute dense Adam's, settled before they are read");
    }

    [Fact]
    public void Lazy_updates_move_only_rows_read_and_follow_dense_adam_for_a_row_read_every_step()
    {
        var dense = Train(RowUpdates.Dense, steps: 50);
        var lazy = Train(RowUpdates.Lazy, steps: 50);
        var start = Start();

        for (int j = 0; j < Width; j++)
        {
            lazy[Never * Width + j].Should().Be(start[Never * Width + j], "a row never read does not move with lazy updates");
            lazy[Always * Width + j].Should().BeApproximately(dense[Always * Width + j], 1e-5f, "a row read on every step takes dense Adam's steps");
        }
        Differences(lazy, dense).Should().BeGreaterThan(1e-3f, "rows read now and then move less than under dense Adam: another optimisation");
    }

    [Theory]
    [InlineData(RowUpdates.Deferred)]
    [InlineData(RowUpdates.Lazy)]
    public void A_run_saved_mid_way_and_resumed_gives_the_uninterrupted_runs_bits(RowUpdates updates)
    {
        var uninterrupted = Train(updates, steps: 200);
        var folder = Scratch.Folder("untangle-rows-").FullName;
        var halfway = Train(updates, steps: 120, saveTo: folder);
        var resumed = Train(updates, steps: 200, resumeFrom: (folder, halfway, 120));
        resumed.Should().Equal(uninterrupted, "the row state is saved as it stands, rows not yet caught up included");
    }

    [Fact]
    public void Deferred_updates_refuse_adam_weight_decay_in_one_line()
    {
        using var table = new Parameter(zeros(Rows, Width));
        var rows = new RowTable(() => table);
        var step = new OptimizationStep
        {
            Name = "bpr", Parameters = [table], Tables = [rows], Optimizer = OptimizerSpec.Adam(0.01, weightDecay: 0.1),
            Loss = _ => rows.Select(tensor(new long[] { 0 })).sum(),
        };
        var act = () => new StepRunner(step, RowUpdates.Deferred);
        act.Should().Throw<Untangle.Host.ConfigurationException>()
            .WithMessage("train.row_updates=deferred: step 'bpr' uses Adam weight decay 0.1*use train.row_updates=dense or lazy");
    }

    [Fact]
    public void Deferred_updates_refuse_betas_whose_missed_steps_never_fade()
    {
        using var table = new Parameter(zeros(Rows, Width));
        var rows = new RowTable(() => table);
        var step = new OptimizationStep
        {
            Name = "critic", Parameters = [table], Tables = [rows], Optimizer = OptimizerSpec.Adam(0.01, (0.99, 0.9)),
            Loss = _ => rows.Select(tensor(new long[] { 0 })).sum(),
        };
        var act = () => new StepRunner(step, RowUpdates.Deferred);
        act.Should().Throw<Untangle.Host.ConfigurationException>()
            .WithMessage("train.row_updates=deferred: step 'critic' uses Adam betas (0.99, 0.9)*never fade*use train.row_updates=dense or lazy");
        new StepRunner(step, RowUpdates.Lazy).Dispose(); // lazy has no replay to fade
    }

    private const int Always = 3, Never = 7, Rare = 11;

    private static float[] Start()
    {
        using var generator = new Generator(5);
        using var start = randn([Rows, Width], generator: generator);
        return start.data<float>().ToArray();
    }

    // Per step: row Always, row Rare every 310th step, 300 random rows of the rest (enough to split the work over threads) (with repeats), never row Never;
    // the loss pulls each read row towards a target that changes with the step.
    private static float[] Train(RowUpdates updates, int steps, string? saveTo = null, (string Folder, float[] Table, int Steps)? resumeFrom = null)
    {
        using var table = new Parameter(tensor(resumeFrom?.Table ?? Start(), [Rows, Width]));
        var rows = new RowTable(() => table);
        var random = new Random(9);
        long[] read = [];
        Tensor target = zeros(1);
        var step = new OptimizationStep
        {
            Name = "pull", Parameters = [table], Tables = [rows], Optimizer = OptimizerSpec.Adam(0.01),
            Loss = _ =>
            {
                var picked = rows.Select(tensor(read));
                var difference = picked - target;
                return (difference * difference).sum();
            },
        };
        var runner = new StepRunner(step, updates);
        if (resumeFrom is { } from) runner.LoadState(Path.Combine(from.Folder, "optimizer.pt"));
        for (int s = 0; s < steps; s++)
        {
            using var scope = NewDisposeScope();
            var chosen = new List<long> { Always };
            if (s % 310 == 0) chosen.Add(Rare);
            for (int k = 0; k < 300; k++)
            {
                long row = random.Next(Rows);
                if (row != Never && row != Rare) chosen.Add(row);
            }
            read = [.. chosen];
            target = full([read.Length, Width], (float)Math.Sin(s * 0.1));
            var batch = new TrainingBatch { Kind = Contracts.Components.BatchKind.Triples, Epoch = 1, Index = s, GlobalBatch = s, Device = CPU, Users = tensor(read) };
            if (resumeFrom is { } skip && s < skip.Steps) continue; // drawn, as a resumed run draws the batches it skips
            runner.Run(batch, (_, _) => { });
        }
        if (saveTo is not null)
        {
            runner.SaveState(Path.Combine(saveTo, "optimizer.pt")); // mid-way: nothing settled
            var unsettled = table.data<float>().ToArray();
            runner.Dispose();
            return unsettled;
        }
        runner.Settle();
        var result = table.data<float>().ToArray();
        runner.Dispose();
        return result;
    }

    private static float Differences(float[] a, float[] b) => a.Zip(b, (x, y) => Math.Abs(x - y)).Max();
}
