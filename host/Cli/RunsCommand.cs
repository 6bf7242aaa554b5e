using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Untangle.Host.Store;

namespace Untangle.Host.Cli;

/// <summary>`runs [--store FILE] [--json]`: every run in the experiment store, newest first, with its status, seed, best epoch, validation metric on test, and error; for a running run, whether a live process holds its folder.</summary>
public static class RunsCommand
{
    public static int Execute(CommandLine line)
    {
        using var store = ExperimentStore.Open(line.Store ?? CommandLine.DefaultStore);
        var runs = store.Runs();
        var rows = runs.Select(r =>
        {
            var metric = r.ValidationMetric is { } m ? store.FinalMetrics(r.Id).FirstOrDefault(x => x.Split == "test" && x.Name == m) : null;
            // A row says running until its process ends it; a process killed with SIGKILL cannot, so ask the folder's lock.
            var owner = r.Status == RunStatus.Running ? Runs.RunFolder.LiveOwner(r.Folder) : null;
            return (Run: r, Epochs: store.Epochs(r.Id).Count(e => e.Epoch > 0), Test: metric, Owner: owner);
        }).ToList();

        if (line.Json)
        {
            var array = new JsonArray(rows.Select(x => (JsonNode)new JsonObject
            {
                ["id"] = x.Run.Id, ["experiment"] = x.Run.Experiment, ["method"] = x.Run.Method, ["status"] = x.Run.Status,
                ["seed"] = x.Run.Seed, ["epochs"] = x.Epochs, ["best_epoch"] = x.Run.BestEpoch,
                ["validation_metric"] = x.Run.ValidationMetric, ["test"] = x.Test is { } t && double.IsFinite(t.Mean) ? t.Mean : null,
                ["started_at"] = x.Run.StartedAt?.ToString("O"), ["ended_at"] = x.Run.EndedAt?.ToString("O"),
                ["folder"] = x.Run.Folder, ["source"] = x.Run.Source, ["source_revision"] = x.Run.SourceRevision,
                ["resumes"] = x.Run.Resumes, ["error"] = x.Run.Error, ["host"] = x.Run.Host,
                ["owner"] = x.Run.Status != RunStatus.Running ? null : x.Owner?.ToString() ?? "gone",
            }).ToArray());
            Console.WriteLine(array.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            return 0;
        }

        Console.WriteLine($"experiment store: {store.Path} ({runs.Count} runs)");
        if (runs.Count == 0) return 0;
        int id = Math.Max(6, runs.Max(r => r.Id.Length)), experiment = Math.Max(10, runs.Max(r => r.Experiment.Length));
        Console.WriteLine($"{"run".PadRight(id)}  {"experiment".PadRight(experiment)}  {"method",-12}  {"status",-11}  {"seed",6}  {"epochs",6}  {"best",4}  {"test metric",-22}  {"started (UTC)",-19}  {"time",8}");
        foreach (var (r, epochs, test, owner) in rows)
        {
            var metric = test is null ? "" : $"{test.Name} {(double.IsFinite(test.Mean) ? test.Mean.ToString("F5", CultureInfo.InvariantCulture) : "-")}";
            var started = r.StartedAt?.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) ?? "";
            var time = r.StartedAt is { } s && r.EndedAt is { } e ? (e - s).ToString(@"hh\:mm\:ss", CultureInfo.InvariantCulture) : "";
            Console.WriteLine($"{r.Id.PadRight(id)}  {r.Experiment.PadRight(experiment)}  {r.Method ?? "",-12}  {r.Status,-11}  {r.Seed,6}  {epochs,6}  {r.BestEpoch,4}  {metric,-22}  {started,-19}  {time,8}");
            if (r.Error is not null) Console.WriteLine($"{"".PadRight(id)}  {r.Status}: {r.Error}");
            if (r.Status == RunStatus.Running)
                Console.WriteLine(owner is null
                    ? $"{"".PadRight(id)}  running: no live process holds {r.Folder} (killed or crashed); continue it with: untangle run --resume {r.Id}"
                    : $"{"".PadRight(id)}  running: trained by {owner}");
        }
        return 0;
    }
}
