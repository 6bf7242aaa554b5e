using Untangle.Host.Tasks;

namespace Untangle.Host.Cli;

/// <summary>What bench and sweep share when their tasks run through an executor: the plan, the executor's options, Ctrl+C.</summary>
internal static class PlanCommands
{
    /// <summary>
    /// The plan of <paramref name="tasks"/> with this command line's layers, plugins and store, every
    /// path made absolute (array tasks may start elsewhere). The store defaults to runs/untangle.db
    /// in the working directory, as for run.
    /// </summary>
    public static TaskPlan NewPlan(CommandLine line, string kind, string name, string root, IReadOnlyList<TaskSpec> tasks)
    {
        return new TaskPlan
        {
            Kind = kind, Name = name, Root = root, Tasks = tasks,
            PluginsFile = Composition.PluginsFile.Locate(line.PluginsFile),
            PluginDirs = line.PluginDirs.Select(Path.GetFullPath).ToList(),
            Store = Store.PostgresLocation.Settled(line.Store ?? CommandLine.DefaultStore),
            ConfigFile = line.ConfigFile is null ? null : Path.GetFullPath(line.ConfigFile),
            Sets = [.. line.Sets],
            WorkingDirectory = Directory.GetCurrentDirectory(),
        };
    }

    /// <summary>
    /// Checks the executor's options, writes the plan into its folder (or checks it is the folder's
    /// plan), then runs or submits the tasks not yet finished. Returns <paramref name="collect"/>'s exit
    /// code once every task has ended (local, or Slurm with --wait), else 0: the tasks are queued.
    /// </summary>
    public static int Execute(CommandLine line, TaskPlan plan, Func<TaskPlan, int> collect)
    {
        var options = Options(line, Executors.Local);
        PlanExecution.Prepare(plan, line.Out is null ? $"the {plan.Kind} folder" : "--out");
        using var stop = CancelOnCtrlC();
        return PlanExecution.Execute(plan, options, stop.Token) ? collect(plan) : 0;
    }

    public static ExecutorOptions Options(CommandLine line, string defaultExecutor)
    {
        var executor = line.Executor ?? defaultExecutor;
        if (executor != Executors.Slurm && (line.Partition ?? line.Time) is not null)
            throw new UsageException($"--partition and --time are sbatch's; they need --executor slurm (got {executor})");
        if (executor == Executors.Kubernetes && line.Image is null)
            throw new UsageException("--executor kubernetes needs --image IMAGE: a container image with the untangle tool (dotnet tool install Untangle.Tool) and the plugins");
        return new ExecutorOptions(executor,
            new SlurmOptions(line.Partition, line.Time, line.Cpus, line.MaxParallel),
            new KubernetesOptions(line.Image ?? "", line.VolumeClaim ?? "untangle-shared", line.Cpus, line.MaxParallel),
            line.Wait);
    }

    /// <summary>Ctrl+C stops after the task in flight (which stops itself with a checkpoint) instead of killing this process.</summary>
    public static CancellationTokenSource CancelOnCtrlC()
    {
        var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            try { cancel.Cancel(); } catch (ObjectDisposedException) { }
        };
        return cancel;
    }

    /// <summary>
    /// --collect DIR's plan: DIR/tasks.json, which must hold a <paramref name="kind"/>; a name given
    /// beside it (<c>bench NAME --collect DIR</c>) must be the plan's.
    /// </summary>
    public static TaskPlan Submitted(CommandLine line, string kind)
    {
        var plan = TaskPlan.Load(line.Collect!);
        if (plan.Kind != kind)
            throw new ConfigurationException($"--collect {line.Collect}: holds {plan.Kind} {plan.Name}, not a {kind}; collect it with: untangle {plan.Kind} --collect {line.Collect}");
        if (line.Positional.Count > 1 || line.Positional.Count == 1 && line.Positional[0] != plan.Name)
            throw new ConfigurationException($"--collect {line.Collect}: holds {kind} {plan.Name}, not {string.Join(" ", line.Positional)}; give its name or none");
        return plan;
    }

    /// <summary>--collect's view of the plugins: the plan's plugins.json and folders unless the command line names others.</summary>
    public static CommandLine PluginsLine(CommandLine line, TaskPlan plan)
    {
        var plugins = new CommandLine { Verb = line.Verb, PluginsFile = line.PluginsFile ?? plan.PluginsFile };
        plugins.PluginDirs.AddRange(line.PluginDirs.Count > 0 ? line.PluginDirs : plan.PluginDirs);
        return plugins;
    }
}
