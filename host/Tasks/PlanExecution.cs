using System.Diagnostics;
using System.Text;

namespace Untangle.Host.Tasks;

/// <summary>Where a plan's tasks run: this machine one after another, a Slurm job array, or a Kubernetes indexed Job (the manifest only).</summary>
public static class Executors
{
    public const string Local = "local", Slurm = "slurm", Kubernetes = "kubernetes";
    public static readonly string[] Names = [Local, Slurm, Kubernetes];
}

/// <summary>The executor (<see cref="Executors"/>) and its options; --wait: Slurm's, wait for the array to end.</summary>
public sealed record ExecutorOptions(string Executor, SlurmOptions Slurm, KubernetesOptions Kubernetes, bool Wait);

/// <summary>Where one task stands: finished (with its cell), failed (with its error), queued or running in Slurm, or not run.</summary>
public sealed record TaskState(TaskSpec Task, string Status, string? Detail, BenchCell? Cell);

/// <summary>
/// Running a plan (bench or sweep) on an executor and reading back where its tasks stand. A plan lives
/// in its folder's tasks.json; giving the same folder again with the same tasks is a resubmission,
/// which runs only the tasks that have not finished and are not queued.
/// </summary>
public static class PlanExecution
{
    /// <summary>
    /// Writes the plan into its folder, or checks that the folder's plan is the same one (a resubmission).
    /// A folder holding another plan, or run folders of an earlier run, is refused before anything is written.
    /// </summary>
    public static void Prepare(TaskPlan plan, string what)
    {
        var file = Path.Combine(plan.Root, TaskPlan.FileName);
        if (File.Exists(file))
        {
            var earlier = TaskPlan.Load(file);
            if (!earlier.SameTasks(plan))
                throw new ConfigurationException($"{what} {plan.Root}: holds {earlier.Kind} {earlier.Name} with other tasks or settings ({file}); choose a new folder, or give the same {earlier.Kind} and settings to continue it");
            return;
        }
        Runs.OutputFolder.Ensure(plan.Root, what, $"the {plan.Kind}'s runs and tables");
        foreach (var task in plan.Tasks)
            if (Runs.RunFolder.Existing(plan.PathOf(task)) is { } files)
                throw new ConfigurationException($"{what} {plan.Root}: {task.Folder} holds an earlier run's files ({files}); choose a new folder");
        plan.Save();
    }

    /// <summary>
    /// Runs or submits the tasks that are neither finished nor queued. Returns true when every task has
    /// ended (local, or Slurm with --wait), so the caller can print the table; false after a submission
    /// the caller collects later.
    /// </summary>
    public static bool Execute(TaskPlan plan, ExecutorOptions options, CancellationToken cancel)
    {
        var queued = options.Executor == Executors.Slurm ? SlurmArray.Queued(plan) : new Dictionary<int, string>();
        var finished = plan.Tasks.Where(t => Finished(plan, t)).Select(t => t.Index).ToHashSet();
        var pending = plan.Tasks.Where(t => !finished.Contains(t.Index) && !queued.ContainsKey(t.Index)).ToList();
        if (finished.Count > 0)
            Console.WriteLine($"{plan.Kind} {plan.Name}: {finished.Count} of {plan.Tasks.Count} tasks finished before; they are not run again");
        switch (options.Executor)
        {
            case Executors.Local:
                RunHere(plan, pending, cancel);
                return !cancel.IsCancellationRequested;
            case Executors.Slurm:
                if (queued.Count > 0) Console.WriteLine($"{queued.Count} task(s) still queued or running in Slurm from an earlier submission; not submitted again");
                if (pending.Count > 0)
                {
                    var job = SlurmArray.Submit(plan, pending, options.Slurm);
                    Console.WriteLine($"submitted Slurm job {job}: array tasks {SlurmArray.Ranges(pending.Select(t => t.Index))} ({pending.Count} of {plan.Tasks.Count}); output in {SlurmArray.Folder(plan)}");
                }
                if (!options.Wait)
                {
                    Console.WriteLine($"follow with: squeue --me; when they end: untangle {plan.Kind} --collect {plan.Root}");
                    return false;
                }
                SlurmArray.Wait(plan, cancel);
                return !cancel.IsCancellationRequested;
            default:
                var manifest = KubernetesJob.Write(plan, options.Kubernetes);
                Console.WriteLine($"wrote {manifest}: an indexed Job of {plan.Tasks.Count} tasks ({pending.Count} still to run; the others skip)");
                Console.WriteLine($"run it with: kubectl apply -f {manifest}; when it ends: untangle {plan.Kind} --collect {plan.Root}");
                return false;
        }
    }

    public static bool Finished(TaskPlan plan, TaskSpec task) => File.Exists(new Results.RunResults(plan.PathOf(task)).MetricsPath);

    /// <summary>Each task's state, read from its run folder, its last result record and (when it was submitted there) Slurm's queue.</summary>
    public static IReadOnlyList<TaskState> States(TaskPlan plan)
    {
        var submitted = SlurmArray.Submitted(plan);
        var slurm = submitted.Count > 0;
        var queued = slurm ? SlurmArray.Queued(plan) : new Dictionary<int, string>();
        var states = new List<TaskState>();
        foreach (var task in plan.Tasks)
        {
            var result = TaskRunner.LastResult(plan, task.Index);
            var peak = result?["peak_memory_mib"]?.GetValue<double>() ?? double.NaN;
            if (BenchCell.FromFolder(task.Experiment, task.Seed, plan.PathOf(task), peak) is { } cell)
                states.Add(new TaskState(task, "finished", null, cell));
            else if (queued.TryGetValue(task.Index, out var state))
                states.Add(new TaskState(task, state, null, null));
            else if (result?["status"]?.GetValue<string>() == "failed")
                states.Add(new TaskState(task, "failed", result["error"]?.GetValue<string>() ?? "(no message)", null));
            else if (result?["status"]?.GetValue<string>() == "interrupted")
                states.Add(new TaskState(task, "interrupted", "stopped with a checkpoint (a time limit or a signal); submit again to continue it", null));
            else if (slurm && SlurmArray.LastOutputLine(plan, submitted, task.Index) is { } last)
                states.Add(new TaskState(task, "failed", $"ended without a result; its output ends: {last}", null));
            else
                states.Add(new TaskState(task, "not run", null, null));
        }
        return states;
    }

    /// <summary>"12 tasks: 10 finished, 1 failed, 1 running" and one line per task that failed or was interrupted, with its error.</summary>
    public static string Summary(TaskPlan plan, IReadOnlyList<TaskState> states)
    {
        var text = new StringBuilder($"{plan.Kind} {plan.Name}: {plan.Tasks.Count} tasks: ");
        text.Append(string.Join(", ", states.GroupBy(s => s.Status).Select(g => $"{g.Count()} {g.Key}"))).Append('\n');
        foreach (var s in states.Where(s => s.Status is "failed" or "interrupted"))
            text.Append($"  task {s.Task.Index} ({TaskRunner.Describe(s.Task)}): {s.Status}{(s.Detail is null ? "" : $": {s.Detail}")}\n");
        return text.ToString();
    }

    /// <summary>The local executor: each task in a child process of this host (`untangle task`), one after another, as an array task would run.</summary>
    private static void RunHere(TaskPlan plan, IReadOnlyList<TaskSpec> pending, CancellationToken cancel)
    {
        foreach (var task in pending)
        {
            if (cancel.IsCancellationRequested)
            {
                Console.WriteLine($"stopped before task {task.Index}; run the same command again to continue");
                return;
            }
            var prefix = HostCommand.Prefix();
            var start = new ProcessStartInfo(prefix[0]) { UseShellExecute = false, WorkingDirectory = plan.WorkingDirectory };
            foreach (var a in prefix.Skip(1)) start.ArgumentList.Add(a);
            foreach (var a in new[] { "task", Path.Combine(plan.Root, TaskPlan.FileName), task.Index.ToString(System.Globalization.CultureInfo.InvariantCulture) })
                start.ArgumentList.Add(a);
            using var child = Process.Start(start)!;
            child.WaitForExit();
        }
    }
}
