using Microsoft.Extensions.Logging.Abstractions;
using Untangle.Contracts.Components;
using Untangle.Contracts.Settings;
using static TorchSharp.torch;

namespace Untangle.Testing;

/// <summary>
/// A component made by its factory the way the host makes one for a method's slot: the factory's
/// settings resolved under hyper.&lt;slot&gt; (defaults plus <c>settings</c>), the method's arguments,
/// the CPU and no logging. Every plugin test project builds its slot components through this.
/// </summary>
internal static class SlotComponent
{
    public static TComponent Make<TComponent>(IComponentFactory<TComponent> factory, string slot,
        IReadOnlyDictionary<string, string>? settings = null, IReadOnlyDictionary<string, object>? arguments = null) =>
        factory.Create(new ComponentContext
        {
            Slot = slot,
            Settings = SettingValues.Resolve($"hyper.{slot}", factory.Settings, settings),
            Arguments = arguments ?? new Dictionary<string, object>(),
            Device = CPU,
            Logger = NullLogger.Instance,
        });
}
