using Untangle.Contracts.Components;
using TorchSharp;
using Untangle.Contracts.Training;

namespace Untangle.Host.Training;

/// <summary>
/// The engine's side of <see cref="SlotTraining.Engine"/>: one fitting step per engine-trained
/// estimator that owns a network, run hyper.&lt;slot&gt;.fit_steps times right after any step (main loop
/// or phase) whose loss called the estimator, on the detached inputs of those calls (the pattern of
/// CLUB's Algorithm 1: a main update, then the estimator's own updates on what the main step saw). The
/// fitting steps' optimizers are checkpointed with the method's (after them, in slot order), and the
/// estimators' modules are checkpointed under "slot.&lt;slot&gt;".
/// </summary>
internal sealed class SlotFits : IDisposable
{
    private readonly List<(EngineFittedEstimator Estimator, StepRunner Runner, int Times, string Key)> _fits = [];

    public static SlotFits None { get; } = new();

    public IReadOnlyList<StepRunner> Runners => _fits.Select(f => f.Runner).ToList();

    public bool IsEmpty => _fits.Count == 0;

    /// <summary>The names of the fitting steps ("fit:&lt;slot&gt;"), for logs.</summary>
    public IEnumerable<string> Names => _fits.Select(f => f.Runner.Step.Name);

    /// <summary>The fitted estimators' modules by checkpoint key ("slot.&lt;slot&gt;").</summary>
    public IEnumerable<(string Key, torch.nn.Module Module)> Modules => _fits.Select(f => (f.Key, f.Estimator.Module!));

    public void Add(EngineFittedEstimator estimator, int times, double learningRate, string stepName, string moduleKey)
    {
        var parameters = estimator.Module?.parameters().Where(p => p.requires_grad).ToList() ?? [];
        if (parameters.Count == 0) return; // a component made with frozen parameters: nothing to fit
        var step = new OptimizationStep
        {
            Name = stepName,
            Parameters = parameters,
            Optimizer = OptimizerSpec.Adam(learningRate),
            Loss = _ => estimator.FitLoss(),
        };
        _fits.Add((estimator, new StepRunner(step), times, moduleKey));
    }

    /// <summary>After a step ran on <paramref name="batch"/>: fit every estimator that step called, then forget its inputs.</summary>
    public void AfterStep(TrainingBatch batch, Action<string, double> record)
    {
        foreach (var (estimator, runner, times, _) in _fits)
        {
            if (estimator.PendingCalls == 0) continue;
            try
            {
                for (int t = 0; t < times; t++)
                    record(runner.Step.Name, runner.Run(batch, record));
            }
            finally
            {
                estimator.Forget();
            }
        }
    }

    /// <summary>Drops recorded inputs (before each step run: a fit sees only the calls of the step it follows, never tensors from a closed scope).</summary>
    public void ForgetAll()
    {
        foreach (var (estimator, _, _, _) in _fits) estimator.Forget();
    }

    public void Dispose()
    {
        foreach (var (_, runner, _, _) in _fits) runner.Dispose();
        _fits.Clear();
    }
}
