using Microsoft.Extensions.Logging;
using TorchSharp;
using Untangle.Contracts.Components;
using Untangle.Contracts.Data;
using Untangle.Contracts.Training;
using Untangle.Host.Composition;

namespace Untangle.Host.Training;

/// <summary>
/// Builds a resolved experiment's training graph on a data set and split: the method's context, with
/// its slot components created from the experiment's choices. A run trains the graph; steering
/// (<see cref="Untangle.Host.Steering.TrainedRun"/>) builds the same graph again to load a finished run's best model.
/// </summary>
internal static class MethodGraph
{
    /// <param name="created">Receives every component made for a slot that needs disposing; the caller disposes them.</param>
    public static TrainingGraph Build(ResolvedExperiment experiment, Dataset dataset, Split split, torch.Device device, RunRandom random,
        int batchesPerEpoch, ILoggerFactory loggers, List<IDisposable> created)
    {
        var run = experiment.Run;
        var context = new MethodContext((slot, args) => CreateComponent(experiment, slot, args, device, loggers, created))
        {
            Dataset = dataset,
            Split = split,
            Hyper = experiment.Hyper,
            Device = device,
            Seed = run.Seed,
            Random = random,
            Logger = loggers.CreateLogger($"Untangle.Method.{experiment.MethodName}"),
            Epochs = run.Epochs,
            BatchSize = run.BatchSize,
            BatchesPerEpoch = batchesPerEpoch,
        };
        // Methods create their parameters on context.Device: moving modules here would replace
        // Parameter objects that the steps' parameter lists already hold.
        return experiment.Method.Build(context);
    }

    private static object CreateComponent(ResolvedExperiment experiment, string slot, IReadOnlyDictionary<string, object> arguments,
        torch.Device device, ILoggerFactory loggers, List<IDisposable> created)
    {
        if (!experiment.Slots.TryGetValue(slot, out var choice))
            throw new InvalidOperationException(
                $"method '{experiment.MethodName}' asked for slot '{slot}', which it did not declare; declared: {string.Join(", ", experiment.Slots.Keys)}");
        var context = new ComponentContext
        {
            Slot = slot,
            Settings = choice.Settings,
            Arguments = arguments,
            Device = device,
            Logger = loggers.CreateLogger($"Untangle.Component.{choice.Component.Name}"),
        };
        object made = choice.Component.Part switch
        {
            IEncoderFactory f => f.Create(context),
            IMutualInformationEstimatorFactory f => f.Create(context),
            IDiscriminatorFactory f => f.Create(context),
            IGraphBuilderFactory f => f.Create(context),
            var other => throw new InvalidOperationException($"slot '{slot}' holds {other.GetType().Name}, which is not a component factory"),
        };
        if (made is IDisposable disposable) created.Add(disposable);
        return made;
    }
}
