using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Untangle.Host.Cli;

namespace Untangle.Host.Tasks;

/// <summary>
/// Runs one task of a plan, the same way wherever it runs (a Slurm array task, a Kubernetes indexed
/// Job's pod, or the local executor's child process): a finished task is skipped; a task whose folder
/// holds an earlier attempt (killed at the time limit, preempted, failed) is continued with
/// <c>run --resume</c>, so nothing it wrote is lost; otherwise it is a new <c>run</c>. Either way the
/// run is recorded in the plan's store. What happened is written to ROOT/task-results/INDEX.json.
/// </summary>
public static class TaskRunner
{
    public const string ResultsFolder = "task-results";

    public static int Run(TaskPlan plan, TaskSpec task)
    {
        var folder = plan.PathOf(task);
        var results = new Results.RunResults(folder);
        if (PlanExecution.Finished(plan, task))
        {
            Console.WriteLine($"task {task.Index} ({Describe(task)}) finished before; results in {folder}");
            return 0;
        }
        var resumed = File.Exists(results.ConfigPath);
        var line = resumed ? plan.ResumeLine(task) : plan.RunLine(task);
        Console.WriteLine($"task {task.Index} ({Describe(task)}): {(resumed ? "continuing the earlier attempt in" : "training into")} {folder}");
        using var peak = new PeakMemory();
        try
        {
            var code = RunCommand.Execute(line);
            Record(plan, task, PlanExecution.Finished(plan, task) ? "finished" : "interrupted", null, peak.PeakMegabytes, resumed);
            return code;
        }
        catch (Exception e)
        {
            Record(plan, task, "failed", Runs.FailureMessage.Describe(e), peak.PeakMegabytes, resumed);
            throw;
        }
    }

    public static string Describe(TaskSpec task) =>
        $"{task.Experiment} seed {task.Seed}{(task.Configuration is int c ? $", config {c}" : "")}";

    public static string ResultPath(TaskPlan plan, int index) => Path.Combine(plan.Root, ResultsFolder, $"{index.ToString(CultureInfo.InvariantCulture)}.json");

    /// <summary>The last attempt's record: status, error, peak memory; null when no attempt ended.</summary>
    public static JsonObject? LastResult(TaskPlan plan, int index)
    {
        var path = ResultPath(plan, index);
        if (!File.Exists(path)) return null;
        try
        {
            return JsonNode.Parse(File.ReadAllText(path)) as JsonObject;
        }
        catch (JsonException e)
        {
            throw new ConfigurationException($"{path}: not a task result ({e.Message.Split(" Path:")[0]}); move it aside and collect again");
        }
    }

    private static void Record(TaskPlan plan, TaskSpec task, string status, string? error, double peakMb, bool resumed)
    {
        var json = new JsonObject
        {
            ["index"] = task.Index,
            ["status"] = status,
            ["error"] = error,
            ["peak_memory_mib"] = Math.Round(peakMb, 1),
            ["host"] = Environment.MachineName,
            ["slurm_job"] = Environment.GetEnvironmentVariable("SLURM_ARRAY_JOB_ID"),
            ["resumed"] = resumed,
            ["ended_at"] = DateTimeOffset.UtcNow.ToString("O"),
        };
        var path = ResultPath(plan, task.Index);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        Runs.FileWrite.Atomically(path, "writing", json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }
}
