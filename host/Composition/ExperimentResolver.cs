using Untangle.Contracts.Analysis;
using Untangle.Contracts.Components;
using Untangle.Contracts.Settings;
using Untangle.Host.Evaluation;
using Untangle.Host.Plugins;

namespace Untangle.Host.Composition;

/// <summary>
/// Turns configuration layers into a <see cref="ResolvedExperiment"/>: looks up the method, slot
/// components, reader, protocol and metrics in the catalog and parses every value against its
/// declared type. Any unknown name fails here, before training, listing the valid names.
/// </summary>
public sealed class ExperimentResolver(ComponentCatalog catalog)
{
    private static readonly string[] KeyFamilies = ["method", "components.<slot>", "hyper.<name>", "hyper.<slot>.<setting>", "dataset.reader", "dataset.path", "dataset.<option>", "protocol.name", "protocol.<option>", "train.<setting>", "eval.<setting>", "device", "description"];

    public ResolvedExperiment Resolve(string name, IEnumerable<ConfigSource> layers)
    {
        if (catalog.Conflicts.Count > 0)
            throw new ConfigurationException(catalog.Conflicts[0]);

        var layerList = layers.ToList();
        var merged = new Dictionary<string, (string Value, string Origin)>(StringComparer.Ordinal);
        foreach (var layer in layerList)
            foreach (var (k, v) in layer.Values)
            {
                // A relative data path means "relative to the file that says it" (plugins.json, --config).
                var value = k == "dataset.path" && layer.BaseDirectory is { } dir && !Path.IsPathRooted(v) ? Path.GetFullPath(Path.Combine(dir, v)) : v;
                merged[k] = (value, layer.Origin);
            }

        string? Value(string key) => merged.TryGetValue(key, out var v) ? v.Value : null;
        string Origin(string key) => merged.TryGetValue(key, out var v) ? v.Origin : "defaults";
        var switched = new SwitchedComponents(layerList);

        // Method and its declaration.
        var methodName = Value("method") ?? throw new ConfigurationException(
            $"experiment '{name}' names no method; set method to one of: {string.Join(", ", catalog.Names(ComponentKind.Method))}");
        var method = catalog.Get<IMethod>(ComponentKind.Method, methodName, "method");
        var declaration = method.Declare();
        var slots = declaration.Slots.ToDictionary(s => s.Name, StringComparer.Ordinal);

        // Slot components.
        var slotChoices = new Dictionary<string, SlotChoice>(StringComparer.Ordinal);
        foreach (var slot in declaration.Slots)
        {
            var key = $"components.{slot.Name}";
            var componentName = Value(key) ?? slot.DefaultComponent;
            var entry = catalog.TryGet(slot.Kind, componentName, out var e) ? e : throw new ConfigurationException(
                $"{key}: unknown {slot.Kind.Display()} '{componentName}'; valid: {string.Join(", ", catalog.Names(slot.Kind))}");
            var specs = SettingsOf(entry);
            var given = Section(merged, $"hyper.{slot.Name}.");
            var owner = $"{slot.Kind.Display()} '{componentName}' (slot {slot.Name})";
            switched.DropSwitched(given, $"hyper.{slot.Name}", [.. specs, .. SlotFitSettings.Specs], key, componentName, slot.DefaultComponent);
            // Whether the component learns may depend on its settings: read them without the engine's fit keys first.
            var own = given.Where(kv => !SlotFitSettings.Specs.Any(f => f.Name == kv.Key)).ToDictionary();
            switched.RefuseUnknown(own, $"hyper.{slot.Name}", specs, owner);
            bool learns = entry.Part is IComponentFactory<object> factory && factory.Learns(Resolve($"hyper.{slot.Name}", specs, own, merged));
            CheckTraining(methodName, slot, componentName, learns);
            bool engineFits = learns && slot.TrainedBy == SlotTraining.Engine;
            IReadOnlyList<SettingSpec> taken = engineFits ? [.. specs, .. SlotFitSettings.Specs] : specs;
            switched.DropUnknown(given, $"hyper.{slot.Name}", taken, key, componentName, slot.DefaultComponent, owner);
            var settings = Resolve($"hyper.{slot.Name}", taken, given, merged);
            slotChoices[slot.Name] = new SlotChoice(slot, entry, settings) { Learns = learns };
        }

        // Method hyper-parameters: hyper.<name> that is not a slot's section.
        var hyperGiven = Section(merged, "hyper.").Where(kv => !kv.Key.Contains('.')).ToDictionary();
        switched.DropUnknown(hyperGiven, "hyper", declaration.HyperParameters, "method", methodName, null, $"method '{methodName}'");
        foreach (var key in Section(merged, "hyper.").Keys.Where(k => k.Contains('.')))
        {
            var slot = key[..key.IndexOf('.')];
            if (!slots.ContainsKey(slot) && switched.Drop("hyper." + key, "method", methodName, null)) continue;
            if (!slots.ContainsKey(slot))
                throw new ConfigurationException(
                    $"hyper.{key} ({Origin("hyper." + key)}): method '{methodName}' has no slot '{slot}'; slots: {List(slots.Keys)}");
        }
        var hyper = Resolve("hyper", declaration.HyperParameters, hyperGiven, merged);

        // Data set and protocol.
        var readerName = Value("dataset.reader") ?? "synthetic";
        var reader = catalog.Get<IDatasetReader>(ComponentKind.DatasetReader, readerName, "dataset.reader");
        var datasetGiven = Section(merged, "dataset.").Where(kv => kv.Key is not ("reader" or "path")).ToDictionary();
        switched.DropUnknown(datasetGiven, "dataset", reader.Options, "dataset.reader", readerName, "synthetic", $"reader '{readerName}'");
        var datasetOptions = Resolve("dataset", reader.Options, datasetGiven, merged);
        var protocolName = Value("protocol.name") ?? "weak-random";
        var protocol = catalog.Get<ISplitProtocol>(ComponentKind.SplitProtocol, protocolName, "protocol.name");
        var protocolGiven = Section(merged, "protocol.").Where(kv => kv.Key != "name").ToDictionary();
        switched.DropUnknown(protocolGiven, "protocol", protocol.Options, "protocol.name", protocolName, "weak-random", $"protocol '{protocolName}'");
        var protocolOptions = Resolve("protocol", protocol.Options, protocolGiven, merged);
        // Known without data: a protocol that holds users out needs a method that folds them in.
        if (protocol.HoldsOutUsers(protocolOptions) && !declaration.FoldsInUsers)
            throw new ConfigurationException(FoldInRefusal(methodName, protocolName));

        // Engine settings.
        var train = Resolve("train", RunSettings.TrainSpecs, Section(merged, "train."), merged);
        var eval = Resolve("eval", RunSettings.EvalSpecs, Section(merged, "eval."), merged);
        var device = Value("device") ?? (string)RunSettings.DeviceSpec.Default;
        var run = RunSettings.From(train, eval, device);
        var metrics = run.Metrics.Select(ParseMetric).ToList();
        var disentanglement = DisentanglementMetrics(run.Disentanglement, given: Value("eval.disentanglement") is not null);

        // Anything left over is a key no one reads: refuse it rather than ignore it.
        foreach (var (key, (_, origin)) in merged)
        {
            var family = key.Split('.')[0];
            bool known = family is "hyper" or "components" or "dataset" or "protocol" or "train" or "eval"
                || key is "method" or "device" or "description";
            if (!known)
                throw new ConfigurationException($"{key} ({origin}): unknown key; valid keys: {string.Join(", ", KeyFamilies)}");
            if (family == "components" && !slots.ContainsKey(key["components.".Length..]) && switched.Drop(key, "method", methodName, null)) continue;
            if (family == "components" && !slots.ContainsKey(key["components.".Length..]))
                throw new ConfigurationException($"{key} ({origin}): method '{methodName}' has no slot '{key["components.".Length..]}'; slots: {List(slots.Keys)}");
        }

        var flat = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["method"] = methodName,
            ["dataset.reader"] = readerName,
            ["protocol.name"] = protocolName,
            ["device"] = device,
        };
        if (Value("dataset.path") is { } path) flat["dataset.path"] = path;
        if (Value("description") is { } description) flat["description"] = description;
        void Put(string prefix, SettingValues values)
        {
            foreach (var (k, v) in values.All) flat[$"{prefix}.{k}"] = SettingSpec.Format(v);
        }
        Put("hyper", hyper);
        foreach (var (slot, choice) in slotChoices)
        {
            flat[$"components.{slot}"] = choice.Component.Name;
            Put($"hyper.{slot}", choice.Settings);
        }
        Put("dataset", datasetOptions);
        Put("protocol", protocolOptions);
        Put("train", train);
        Put("eval", eval);

        return new ResolvedExperiment
        {
            Name = name,
            MethodName = methodName,
            Method = method,
            Declaration = declaration,
            Hyper = hyper,
            Slots = slotChoices,
            ReaderName = readerName,
            Reader = reader,
            DatasetPath = Value("dataset.path"),
            DatasetOptions = datasetOptions,
            ProtocolName = protocolName,
            Protocol = protocol,
            ProtocolOptions = protocolOptions,
            Metrics = metrics,
            DisentanglementMetrics = disentanglement,
            Run = run,
            Flat = flat,
            Dropped = switched.Dropped,
        };
    }

    /// <summary>
    /// eval.disentanglement: "all" (every loaded disentanglement-metric), "none", or names, each looked
    /// up. Left at its default, it takes the default names that are loaded (none where the
    /// DisentanglementLab plugin is not, as in a plugin's own tests).
    /// </summary>
    private IReadOnlyList<DisentanglementMetricChoice> DisentanglementMetrics(string text, bool given)
    {
        var names = text.ToLowerInvariant() switch
        {
            "none" or "" => [],
            "all" => catalog.Names(ComponentKind.DisentanglementMetric).ToList(),
            _ => text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToList(),
        };
        if (!given) names = names.Where(n => catalog.TryGet(ComponentKind.DisentanglementMetric, n, out _)).ToList();
        return names.Select(n => new DisentanglementMetricChoice(n,
            catalog.Get<IDisentanglementMetric>(ComponentKind.DisentanglementMetric, n, $"eval.disentanglement ({text})"))).ToList();
    }

    private MetricChoice ParseMetric(string text)
    {
        MetricName parsed;
        try
        {
            parsed = MetricName.Parse(text);
        }
        catch (FormatException e)
        {
            throw new ConfigurationException($"eval.metrics: {e.Message}", e);
        }
        var metric = catalog.Get<IMetric>(ComponentKind.Metric, parsed.Name, $"eval.metrics ({text})");
        return new MetricChoice(parsed.ToString(), parsed.Name, parsed.K, metric);
    }

    /// <summary>The one line for a method that cannot score held-out users on a split that has them.</summary>
    internal static string FoldInRefusal(string methodName, string protocolName) =>
        $"method '{methodName}' scores only users it trained on, but protocol '{protocolName}' evaluates held-out users; use a weak-generalization protocol (weak-random, weak-temporal) or a method that folds in histories";

    /// <summary>
    /// A component that brings a network of its own may go only into a slot that trains it: one the
    /// engine fits (estimator slots) or one the method trains. Refused here, before any data are read.
    /// </summary>
    private static void CheckTraining(string methodName, Slot slot, string componentName, bool learns)
    {
        if (!learns) return;
        if (slot.TrainedBy == SlotTraining.None)
            throw new ConfigurationException(
                $"components.{slot.Name}: '{componentName}' brings trainable parameters, but method '{methodName}' uses slot '{slot.Name}' where nothing can train them " +
                "(neither its own steps nor the engine's fit); choose a component without parameters of its own for this slot");
        if (slot.TrainedBy == SlotTraining.Engine && slot.Kind != ComponentKind.MutualInformationEstimator)
            throw new ConfigurationException(
                $"components.{slot.Name}: method '{methodName}' declares slot '{slot.Name}' ({slot.Kind.Display()}) as engine-trained, but the engine fits only mutual-information estimators; the method must train '{componentName}' itself (SlotTraining.Method)");
    }

    internal static IReadOnlyList<SettingSpec> SettingsOf(ComponentEntry entry) =>
        entry.Part is IComponentFactory<object> factory ? factory.Settings : [];

    private static Dictionary<string, string> Section(Dictionary<string, (string Value, string Origin)> merged, string prefix) =>
        merged.Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal))
              .ToDictionary(kv => kv.Key[prefix.Length..], kv => kv.Value.Value, StringComparer.Ordinal);

    private static SettingValues Resolve(string scope, IEnumerable<SettingSpec> specs, IReadOnlyDictionary<string, string> given,
        Dictionary<string, (string Value, string Origin)> merged)
    {
        try
        {
            return SettingValues.Resolve(scope, specs, given);
        }
        catch (Exception e) when (e is KeyNotFoundException or FormatException)
        {
            // Name the layer the bad key came from.
            var key = e.Message.Split(' ', 2)[0].TrimEnd(':');
            var origin = merged.TryGetValue(key, out var v) ? $" ({v.Origin})" : "";
            throw new ConfigurationException(e.Message.Replace(key, key + origin, StringComparison.Ordinal), e);
        }
    }

    private static string List(IEnumerable<string> names)
    {
        var list = names.ToList();
        return list.Count == 0 ? "(none)" : string.Join(", ", list);
    }
}
