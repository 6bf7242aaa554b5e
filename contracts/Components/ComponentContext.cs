using Microsoft.Extensions.Logging;
using TorchSharp;
using Untangle.Contracts.Settings;

namespace Untangle.Contracts.Components;

/// <summary>
/// What a factory gets when a run asks it for a component: the component's resolved settings
/// (configured as hyper.&lt;slot&gt;.&lt;name&gt;), the shapes the method passes in (input and output
/// sizes), the device and a logger.
/// </summary>
public sealed class ComponentContext
{
    public required string Slot { get; init; }
    public required SettingValues Settings { get; init; }
    public IReadOnlyDictionary<string, object> Arguments { get; init; } = new Dictionary<string, object>();
    public required torch.Device Device { get; init; }
    public required ILogger Logger { get; init; }

    /// <summary>A method-supplied argument, or an error naming the slot and the missing argument.</summary>
    public T Argument<T>(string name) =>
        Arguments.TryGetValue(name, out var v) && v is T t
            ? t
            : throw new ArgumentException($"component in slot '{Slot}' needs argument '{name}' of type {typeof(T).Name}");
}

/// <summary>
/// A stateless MEF part that creates per-run components. Components own TorchSharp parameters, so
/// they are never shared between runs; the run disposes what a factory created.
/// </summary>
public interface IComponentFactory<out TComponent>
{
    /// <summary>The component's own settings, with defaults and one-line docs.</summary>
    IReadOnlyList<SettingSpec> Settings { get; }

    /// <summary>
    /// True when the component made with these settings owns trainable parameters (a q network, a
    /// critic, encoder weights). The resolver uses it to refuse, before training, a slot that cannot
    /// train it (<see cref="SlotTraining"/>).
    /// </summary>
    bool Learns(SettingValues settings) => false;

    TComponent Create(ComponentContext context);
}
