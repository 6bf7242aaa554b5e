using Microsoft.Extensions.Logging;
using TorchSharp;
using Untangle.Contracts.Components;
using Untangle.Contracts.Data;
using Untangle.Contracts.Training;
using Untangle.Host.Composition;
using static TorchSharp.torch;

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
        int batchesPerEpoch, ILoggerFactory loggers, List<IDisposable> created) =>
        Build(experiment, dataset, split, device, random, batchesPerEpoch, loggers, created, null, out _);

    /// <param name="phases">Runs the method's pretraining phases (checkpointed, resumable); null: phases run without checkpoints.</param>
    /// <param name="fits">The engine's fits of the engine-trained slots' estimators (also added to <paramref name="created"/>).</param>
    public static TrainingGraph Build(ResolvedExperiment experiment, Dataset dataset, Split split, torch.Device device, RunRandom random,
        int batchesPerEpoch, ILoggerFactory loggers, List<IDisposable> created, PhaseRunner? phases, out SlotFits fits)
    {
        var run = experiment.Run;
        var made = new List<(string Slot, object Component)>();
        var slotFits = new SlotFits();
        created.Add(slotFits);
        phases ??= new PhaseRunner(loggers.CreateLogger("Untangle.Run")) { Device = device, Random = random };
        phases.Fits = slotFits;
        var context = new MethodContext((slot, args) => CreateComponent(experiment, slot, args, device, loggers, created, made, slotFits))
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
            SlotComponents = experiment.Slots.ToDictionary(kv => kv.Key, kv => kv.Value.Component.Name, StringComparer.Ordinal),
            PhaseRunner = phases.Run,
        };
        // Methods create their parameters on context.Device: moving modules here would replace
        // Parameter objects that the steps' parameter lists already hold.
        var graph = experiment.Method.Build(context);
        fits = slotFits;
        return KeepSlotPromises(experiment, graph, made, phases.Optimised, loggers.CreateLogger("Untangle.Run"), slotFits);
    }

    /// <summary>A slot's n-th component (0-based): "slot.&lt;slot&gt;", then "slot.&lt;slot&gt;.2", ... as checkpoint keys; "fit:&lt;slot&gt;"... as fit step names.</summary>
    private static string Key(string prefix, string slot, int index) => index == 0 ? $"{prefix}{slot}" : $"{prefix}{slot}.{index + 1}";

    /// <summary>
    /// What the slots promise (<see cref="SlotTraining"/>), made true after Build: a method-trained
    /// slot's parameters are in one of its steps (or frozen), an engine-trained estimator gets its fitting
    /// step, and every slot component's module is checkpointed (under "slot.&lt;slot&gt;" unless the method
    /// registered it already) and switched between train() and eval() with the rest.
    /// </summary>
    private static TrainingGraph KeepSlotPromises(ResolvedExperiment experiment, TrainingGraph graph,
        List<(string Slot, object Component)> made, IReadOnlySet<TorchSharp.Modules.Parameter> inPhases, ILogger log, SlotFits fits)
    {
        // By object identity (modules hand out the Parameter objects they registered), never by native handle, which a freed tensor passes on.
        var optimised = new HashSet<TorchSharp.Modules.Parameter>(graph.Steps.SelectMany(s => s.Parameters).Concat(inPhases), ReferenceEqualityComparer.Instance);
        var modules = new Dictionary<string, nn.Module>(graph.Modules, StringComparer.Ordinal);
        var registered = graph.Modules.Values.ToHashSet(ReferenceEqualityComparer.Instance);
        foreach (var group in made.GroupBy(m => m.Slot))
        {
            var choice = experiment.Slots[group.Key];
            var instances = group.ToList();
            for (int i = 0; i < instances.Count; i++)
            {
                var component = instances[i].Component;
                var module = ModuleOf(component);
                if (module is null) continue;
                if (!registered.Contains(module))
                {
                    modules[Key("slot.", group.Key, i)] = module;
                    registered.Add(module);
                }
                if (component is EngineFittedEstimator fitted)
                {
                    if (module.parameters().Any(optimised.Contains))
                        throw new InvalidOperationException(
                            $"method '{experiment.MethodName}' optimises the parameters of '{choice.Component.Name}' in slot '{group.Key}' in its own steps, " +
                            "but the slot is engine-trained (SlotTraining.Engine, the estimator slots' default), so the engine would fit them too; declare the slot SlotTraining.Method");
                    continue;
                }
                var untrained = module.parameters().Where(p => p.requires_grad && !optimised.Contains(p)).ToList();
                if (untrained.Count > 0)
                    throw new ConfigurationException(
                        $"components.{group.Key}: '{choice.Component.Name}' has {untrained.Sum(p => p.numel())} trainable parameters that no step or phase of method " +
                        $"'{experiment.MethodName}' optimises (steps: {string.Join(", ", graph.Steps.Select(s => s.Name))}); the method declares slot '{group.Key}' as trained by itself " +
                        "but does not train it: put the component's parameters into a step, freeze them, or declare the slot SlotTraining.Engine (estimators)");
            }
        }
        if (!fits.IsEmpty)
            log.LogInformation("engine-trained slots: {Fits}", string.Join(", ", fits.Names));
        return graph with { Modules = modules };
    }

    private static nn.Module? ModuleOf(object component) => component switch
    {
        IEncoder e => e.Module,
        IMutualInformationEstimator e => e.Module,
        IDiscriminator d => d.Module,
        _ => null,
    };

    private static object CreateComponent(ResolvedExperiment experiment, string slot, IReadOnlyDictionary<string, object> arguments,
        torch.Device device, ILoggerFactory loggers, List<IDisposable> created, List<(string Slot, object Component)> made, SlotFits fits)
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
        // Every slot kind's factory is an IComponentFactory of a reference type, so one covariant call makes any of them.
        object component = choice.Component.Part is IComponentFactory<object> factory
            ? factory.Create(context)
            : throw new InvalidOperationException($"slot '{slot}' holds {choice.Component.Part.GetType().Name}, which is not a component factory");
        if (choice.EngineFits && component is IMutualInformationEstimator estimator && estimator.Module is not null)
        {
            // Fitted from its first use on, in a phase or the main loop, so the fit exists before Build runs a phase.
            var fitted = new EngineFittedEstimator(estimator, slot, choice.Component.Name);
            int index = made.Count(m => m.Slot == slot);
            fits.Add(fitted, choice.Settings.Int(SlotFitSettings.Steps), choice.Settings.Float(SlotFitSettings.LearningRate), Key("fit:", slot, index), Key("slot.", slot, index));
            component = fitted;
        }
        if (component is IDisposable disposable) created.Add(disposable);
        made.Add((slot, component));
        return component;
    }
}
