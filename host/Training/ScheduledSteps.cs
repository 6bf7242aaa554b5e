using Untangle.Contracts.Training;
using static TorchSharp.torch;

namespace Untangle.Host.Training;

/// <summary>
/// How the main loop (<see cref="Trainer"/>) and a pretraining phase (<see cref="PhaseRunner"/>) run
/// their steps: per-epoch steps n times before the epoch's batches, each on a full batch in its own
/// dispose scope; per-batch steps in declared order as their schedules say; the engine's slot fits
/// after every step run, on that run's estimator calls only.
/// </summary>
internal static class ScheduledSteps
{
    public static (List<StepRunner> PerEpoch, List<StepRunner> PerBatch) Split(IEnumerable<StepRunner> runners)
    {
        var all = runners.ToList();
        return (all.Where(r => r.Step.Schedule.Kind == ScheduleKind.PerEpoch).ToList(),
                all.Where(r => r.Step.Schedule.Kind != ScheduleKind.PerEpoch).ToList());
    }

    /// <summary>Each per-epoch step its n times; <paramref name="fullBatch"/> makes the t-th run's batch inside that run's scope.</summary>
    public static void AtEpochStart(IEnumerable<StepRunner> perEpoch, Func<int, TrainingBatch> fullBatch, EpochLosses losses, SlotFits fits)
    {
        foreach (var runner in perEpoch)
            for (int t = 0; t < runner.Step.Schedule.Times; t++)
            {
                using var scope = NewDisposeScope();
                RunOnce(runner, fullBatch(t), losses, fits);
            }
    }

    /// <summary>The per-batch steps on one batch; <paramref name="counter"/> numbers the batch for EveryNBatches schedules.</summary>
    public static void OnBatch(IEnumerable<StepRunner> perBatch, TrainingBatch batch, long counter, EpochLosses losses, SlotFits fits)
    {
        foreach (var runner in perBatch)
        {
            var schedule = runner.Step.Schedule;
            int times = schedule.Kind switch
            {
                ScheduleKind.RepeatPerBatch => schedule.Times,
                ScheduleKind.EveryNBatches => counter % schedule.Times == 0 ? 1 : 0,
                _ => 1,
            };
            for (int t = 0; t < times; t++)
                RunOnce(runner, batch, losses, fits);
        }
    }

    /// <summary>
    /// One run of a step, then the slot fits on exactly the estimator calls it made: inputs recorded
    /// before it (by a method's code outside any step, or in another dispose scope) are dropped first.
    /// </summary>
    private static void RunOnce(StepRunner runner, TrainingBatch batch, EpochLosses losses, SlotFits fits)
    {
        fits.ForgetAll();
        losses.Add(runner.Step.Name, runner.Run(batch, losses.Add));
        fits.AfterStep(batch, losses.Add);
    }
}
