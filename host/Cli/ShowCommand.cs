using Serilog.Extensions.Logging;
using Untangle.Contracts.Components;
using Untangle.Contracts.Settings;
using Untangle.Host.Composition;

namespace Untangle.Host.Cli;

/// <summary>
/// `show NAME`: everything a component declares — kind, plugin, description, citation, and for a
/// method its batch kind, slots and hyper-parameters; for others their settings or options — with
/// types, defaults and docs, i.e. what an experiment may set.
/// </summary>
public static class ShowCommand
{
    public static int Execute(CommandLine line)
    {
        if (line.Positional.Count != 1) throw new UsageException("show takes one component name");
        var name = line.Positional[0];
        using var loggers = new SerilogLoggerFactory(Serilog.Log.Logger);
        var (_, catalog) = UntangleCommand.LoadPlugins(line, loggers.CreateLogger("Untangle.Plugins"));
        var matches = catalog.All.Where(e => e.Name == name).ToList();
        if (matches.Count == 0 && name == Perf.PerfBench.Name)
        {
            Console.WriteLine($"benchmark '{name}' [host]: bench perf, the speed yardstick on generated data");
            Print("--set", Perf.PerfBench.Options);
            return 0;
        }
        if (matches.Count == 0)
            throw new ConfigurationException($"no component named '{name}'; components: {string.Join(", ", catalog.All.Select(e => e.Name).Append(Perf.PerfBench.Name).Distinct().Order())}");

        foreach (var entry in matches)
        {
            Console.WriteLine($"{entry.Kind.Display()} '{entry.Name}' [{entry.Plugin}]");
            if (entry.Description.Length > 0) Console.WriteLine($"  {entry.Description}");
            if (entry.Citation.Length > 0) Console.WriteLine($"  {entry.Citation}");
            switch (entry.Part)
            {
                case IMethod method:
                    var d = method.Declare();
                    Console.WriteLine($"  batch kind: {d.BatchKind}; folds in held-out users: {(d.FoldsInUsers ? "yes" : "no")}");
                    foreach (var slot in d.Slots)
                    {
                        Console.WriteLine($"  slot components.{slot.Name}: {slot.Kind.Display()}, default '{slot.DefaultComponent}' — {slot.Doc}{slot.TrainedBy switch
                        {
                            SlotTraining.Engine => " [a component with its own network here is fitted by the engine: hyper." + slot.Name + ".fit_steps, fit_learning_rate]",
                            SlotTraining.None => " [only components without trainable parameters]",
                            _ => "",
                        }}");
                        if (catalog.TryGet(slot.Kind, slot.DefaultComponent, out var component))
                            Print($"hyper.{slot.Name}", ExperimentResolver.SettingsOf(component));
                    }
                    Print("hyper", d.HyperParameters);
                    break;
                case IDatasetReader reader:
                    Print("dataset", reader.Options);
                    break;
                case ISplitProtocol protocol:
                    Print("protocol", protocol.Options);
                    break;
                case IBenchmark benchmark:
                    Print("--set", benchmark.Options);
                    break;
                default:
                    Print("hyper.<slot>", ExperimentResolver.SettingsOf(entry));
                    break;
            }
            Console.WriteLine();
        }
        return 0;
    }

    private static void Print(string prefix, IReadOnlyList<SettingSpec> specs)
    {
        foreach (var s in specs)
            Console.WriteLine($"    {prefix}.{s.Name} ({s.Describe()}{(s.Range is { } range ? " " + range : "")}, default {SettingSpec.Format(s.Default)}): {s.Doc}");
    }
}
