using Untangle.Contracts.Analysis;
using Untangle.Contracts.Components;
using Untangle.Contracts.Settings;
using Untangle.Host.Plugins;

namespace Untangle.Host.Composition;

/// <summary>A component chosen for a method's slot, with its resolved settings.</summary>
public sealed record SlotChoice(Slot Slot, ComponentEntry Component, SettingValues Settings)
{
    /// <summary>The component owns trainable parameters (its factory's <see cref="IComponentFactory{TComponent}.Learns"/>).</summary>
    public bool Learns { get; init; }

    /// <summary>The engine fits this slot's component (it learns, and the slot is <see cref="SlotTraining.Engine"/>).</summary>
    public bool EngineFits => Learns && Slot.TrainedBy == SlotTraining.Engine;
}

/// <summary>A metric as the experiment names it ("ndcg@100").</summary>
public sealed record MetricChoice(string Display, string Name, int K, IMetric Metric);

/// <summary>A disentanglement metric the run computes (eval.disentanglement).</summary>
public sealed record DisentanglementMetricChoice(string Name, IDisentanglementMetric Metric);

/// <summary>
/// An experiment with every name looked up and every value parsed: what the engine runs. Built by
/// <see cref="ExperimentResolver"/>, which fails before training on any unknown name or bad value.
/// </summary>
public sealed record ResolvedExperiment
{
    public required string Name { get; init; }
    public required string MethodName { get; init; }
    public required IMethod Method { get; init; }
    public required MethodDeclaration Declaration { get; init; }
    public required SettingValues Hyper { get; init; }
    public required IReadOnlyDictionary<string, SlotChoice> Slots { get; init; }
    public required string ReaderName { get; init; }
    public required IDatasetReader Reader { get; init; }
    public required string? DatasetPath { get; init; }
    public required SettingValues DatasetOptions { get; init; }
    public required string ProtocolName { get; init; }
    public required ISplitProtocol Protocol { get; init; }
    public required SettingValues ProtocolOptions { get; init; }
    public required IReadOnlyList<MetricChoice> Metrics { get; init; }
    public IReadOnlyList<DisentanglementMetricChoice> DisentanglementMetrics { get; init; } = [];
    public required RunSettings Run { get; init; }
    /// <summary>Every key with its final value (defaults included), as saved in config.json.</summary>
    public required IReadOnlyDictionary<string, string> Flat { get; init; }
    /// <summary>Keys left behind when a later layer chose another component (<see cref="SwitchedComponents"/>), one line each.</summary>
    public IReadOnlyList<string> Dropped { get; init; } = [];
}
