using System.Globalization;
using Untangle.Host.Tasks;

namespace Untangle.Host.Cli;

/// <summary>
/// `task PLAN [INDEX]`: runs one task of a bench or sweep plan (ROOT or ROOT/tasks.json), the command
/// every Slurm array task and Kubernetes Job pod runs. Without INDEX it is read from
/// SLURM_ARRAY_TASK_ID, else JOB_COMPLETION_INDEX.
/// </summary>
public static class TaskCommand
{
    public static int Execute(CommandLine line)
    {
        if (line.Positional.Count is < 1 or > 2)
            throw new UsageException("task takes a plan (the folder holding tasks.json, or the file) and an optional task index");
        var plan = TaskPlan.Load(line.Positional[0]);
        var (text, from) = line.Positional.Count == 2 ? (line.Positional[1], "the task index")
            : Environment.GetEnvironmentVariable("SLURM_ARRAY_TASK_ID") is { Length: > 0 } slurm ? (slurm, "SLURM_ARRAY_TASK_ID")
            : Environment.GetEnvironmentVariable("JOB_COMPLETION_INDEX") is { Length: > 0 } k8s ? (k8s, "JOB_COMPLETION_INDEX")
            : throw new UsageException("task needs an index: give it after the plan, or run it as a Slurm array task or a Kubernetes indexed Job");
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var index) || plan.Tasks.FirstOrDefault(t => t.Index == index) is not { } task)
            throw new ConfigurationException($"{from} {text}: {plan.Root}/{TaskPlan.FileName} has tasks 0 to {plan.Tasks.Count - 1}");
        return TaskRunner.Run(plan, task);
    }
}
