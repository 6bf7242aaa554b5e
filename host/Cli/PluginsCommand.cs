using System.Text.Json;
using System.Text.Json.Nodes;
using Serilog.Extensions.Logging;
using Untangle.Contracts.Components;
using Untangle.Host.Composition;

namespace Untangle.Host.Cli;

/// <summary>`plugins [--json]`: every plugin loaded or failed and where it was named, every component by kind and name, and the experiments.</summary>
public static class PluginsCommand
{
    public static int Execute(CommandLine line)
    {
        using var loggers = new SerilogLoggerFactory(Serilog.Log.Logger);
        var (file, catalog) = UntangleCommand.LoadPlugins(line, loggers.CreateLogger("Untangle.Plugins"));
        if (line.Json)
        {
            var json = new JsonObject
            {
                ["plugins_file"] = file.Path,
                ["plugins"] = new JsonArray(catalog.Plugins.Select(p => (JsonNode)new JsonObject
                {
                    ["name"] = p.Name, ["path"] = p.Path, ["origin"] = p.Origin, ["loaded"] = p.Loaded, ["error"] = p.Error,
                    ["components"] = new JsonArray(p.Components.Select(c => (JsonNode)new JsonObject
                    {
                        ["kind"] = c.Kind.Display(), ["name"] = c.Name, ["description"] = c.Description, ["citation"] = c.Citation,
                    }).ToArray()),
                }).ToArray()),
                ["conflicts"] = new JsonArray(catalog.Conflicts.Select(c => (JsonNode)JsonValue.Create(c)!).ToArray()),
                ["default_experiment"] = file.DefaultExperiment,
                ["experiments"] = new JsonArray(file.Experiments.Keys.Order().Select(k => (JsonNode)JsonValue.Create(k)!).ToArray()),
                ["benchmarks"] = new JsonArray(file.Benchmarks.Keys.Order().Select(k => (JsonNode)JsonValue.Create(k)!).ToArray()),
            };
            Console.WriteLine(json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            return catalog.Conflicts.Count == 0 ? 0 : 1;
        }

        Console.WriteLine($"plugins.json: {file.Path}");
        foreach (var p in catalog.Plugins)
            Console.WriteLine(p.Loaded
                ? $"  loaded  {p.Name,-14} {p.Components.Count,3} components  {p.Path}  (from {p.Origin})"
                : $"  FAILED  {p.Name,-14} {p.Path}: {p.Error}  (from {p.Origin})");
        var userFolder = Plugins.PluginFolder.UserPluginsFolder();
        Console.WriteLine($"user plugins folder: {userFolder}{(Directory.Exists(userFolder) ? "" : " (none yet)")}");
        foreach (var conflict in catalog.Conflicts)
            Console.WriteLine($"  CONFLICT {conflict}");
        foreach (var group in catalog.All.GroupBy(e => e.Kind))
        {
            Console.WriteLine();
            Console.WriteLine($"{group.Key.Display()}s:");
            foreach (var c in group)
                Console.WriteLine($"  {c.Name,-22} {c.Description} [{c.Plugin}]{(c.Citation.Length > 0 ? $"\n  {"",-22} {c.Citation}" : "")}");
        }
        Console.WriteLine();
        Console.WriteLine($"experiments (default: {file.DefaultExperiment ?? "none"}):");
        foreach (var (name, source) in file.Experiments.OrderBy(e => e.Key, StringComparer.Ordinal))
            Console.WriteLine($"  {name,-28} {(source.Values.TryGetValue("description", out var d) ? d : source.Values.GetValueOrDefault("method", ""))}");
        if (file.Benchmarks.Count > 0)
        {
            Console.WriteLine();
            Console.WriteLine("benchmarks (bench NAME):");
            foreach (var (name, bench) in file.Benchmarks.OrderBy(b => b.Key, StringComparer.Ordinal))
                Console.WriteLine($"  {name,-28} {string.Join(", ", bench.Experiments)}; seeds {string.Join(",", bench.Seeds)}");
        }
        return catalog.Conflicts.Count == 0 ? 0 : 1;
    }
}
