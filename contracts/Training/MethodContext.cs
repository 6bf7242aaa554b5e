using Microsoft.Extensions.Logging;
using TorchSharp;
using Untangle.Contracts.Components;
using Untangle.Contracts.Data;
using Untangle.Contracts.Settings;

namespace Untangle.Contracts.Training;

/// <summary>
/// Everything a method's <see cref="IMethod.Build"/> may use: the data in the split's index space,
/// its resolved hyper-parameters, the device, a seeded random source, and the run's component
/// factory for its slots. Components created here are disposed by the run.
/// </summary>
public sealed class MethodContext
{
    private readonly Func<string, IReadOnlyDictionary<string, object>, object> _createComponent;

    public MethodContext(Func<string, IReadOnlyDictionary<string, object>, object> createComponent) =>
        _createComponent = createComponent;

    public required Dataset Dataset { get; init; }
    public required Split Split { get; init; }
    public required SettingValues Hyper { get; init; }
    /// <summary>Create every parameter and buffer here: the engine does not move modules after Build (that would replace the Parameter objects the steps hold).</summary>
    public required torch.Device Device { get; init; }
    public required int Seed { get; init; }
    /// <summary>
    /// Seeded from the run's seed; use it (not a new Random) for anything the method samples on the CPU
    /// side. The engine checkpoints its state, so a resumed run draws the same numbers.
    /// </summary>
    public required Random Random { get; init; }
    public required ILogger Logger { get; init; }
    /// <summary>train.epochs and train.batch_size, for schedules such as KL annealing.</summary>
    public required int Epochs { get; init; }
    public required int BatchSize { get; init; }
    /// <summary>Number of main batches per epoch for this method's batch kind.</summary>
    public required int BatchesPerEpoch { get; init; }

    /// <summary>The engine's phase runner (<see cref="RunPhase"/>); set by the host, or by a test's stand-in.</summary>
    public Func<TrainingPhase, PhaseOutcome>? PhaseRunner { get; init; }

    /// <summary>
    /// Runs <paramref name="phase"/> under the engine now, before Build goes on (pretraining whose result
    /// the rest of the method is built from), or restores it when a resumed run had finished it.
    /// </summary>
    public PhaseOutcome RunPhase(TrainingPhase phase) =>
        (PhaseRunner ?? throw new InvalidOperationException(
            $"phase '{phase.Name}': this method context has no phase runner (the host sets MethodContext.PhaseRunner)"))(phase);

    /// <summary>The name of the component configured for each slot (components.&lt;slot&gt;), for log lines and loss terms that name what is really there.</summary>
    public IReadOnlyDictionary<string, string> SlotComponents { get; init; } = new Dictionary<string, string>();

    /// <summary>The component in <paramref name="slot"/> (its name, as configured), or the slot's name when the host did not say.</summary>
    public string ComponentIn(string slot) => SlotComponents.TryGetValue(slot, out var name) ? name : slot;

    /// <summary>
    /// Creates the component configured for <paramref name="slot"/> (components.&lt;slot&gt;, default from the
    /// declaration) with <paramref name="arguments"/> such as input and output sizes.
    /// </summary>
    public T Create<T>(string slot, IReadOnlyDictionary<string, object>? arguments = null) where T : class
    {
        var made = _createComponent(slot, arguments ?? new Dictionary<string, object>());
        return made as T ?? throw new InvalidCastException(
            $"slot '{slot}' holds a {made.GetType().Name}, which is not the {typeof(T).Name} this method needs");
    }
}
