using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Untangle.Host.Tasks;

/// <summary>What `--executor slurm` passes to sbatch: --partition, --time (HH:MM:SS), --cpus-per-task and the array's %limit.</summary>
public sealed record SlurmOptions(string? Partition, string? Time, int Cpus, int? MaxParallel);

/// <summary>
/// A plan's tasks as one Slurm job array: a batch script in ROOT/slurm/ whose every array task runs
/// <c>untangle task ROOT/tasks.json $SLURM_ARRAY_TASK_ID</c> (<see cref="TaskRunner"/>), submitted with
/// sbatch; each submission is appended to ROOT/slurm/submissions.tsv (job id, task indices, time), which
/// is how <c>--collect</c> and a resubmission know what is still queued. Output of array task i of job J:
/// ROOT/slurm/J_i.out.
/// </summary>
public static class SlurmArray
{
    private const string Submissions = "submissions.tsv";

    public static string Folder(TaskPlan plan) => Path.Combine(plan.Root, "slurm");

    /// <summary>Submits <paramref name="tasks"/> as one array; returns the job id.</summary>
    public static string Submit(TaskPlan plan, IReadOnlyList<TaskSpec> tasks, SlurmOptions options)
    {
        var folder = Folder(plan);
        Directory.CreateDirectory(folder);
        var indices = Ranges(tasks.Select(t => t.Index));
        var script = new StringBuilder("#!/bin/bash\n");
        script.Append($"#SBATCH --job-name={Sanitise($"untangle-{plan.Kind}-{plan.Name}")}\n");
        script.Append($"#SBATCH --array={indices}{(options.MaxParallel is int m ? $"%{m}" : "")}\n");
        script.Append($"#SBATCH --output={Path.Combine(folder, "%A_%a.out")}\n");
        script.Append($"#SBATCH --chdir={plan.WorkingDirectory}\n");
        script.Append($"#SBATCH --cpus-per-task={options.Cpus.ToString(CultureInfo.InvariantCulture)}\n");
        if (options.Partition is not null) script.Append($"#SBATCH --partition={options.Partition}\n");
        if (options.Time is not null) script.Append($"#SBATCH --time={options.Time}\n");
        // Slurm sends SIGTERM at the time limit: the run stops after its step with a checkpoint, and
        // the next submission of the same plan continues it (TaskRunner).
        script.Append("# One array task: one (experiment, seed[, configuration]) of ").Append(Path.Combine(plan.Root, TaskPlan.FileName)).Append('\n');
        script.Append("exec ").Append(string.Join(' ', HostCommand.Prefix().Select(HostCommand.Quote)))
            .Append(" task ").Append(HostCommand.Quote(Path.Combine(plan.Root, TaskPlan.FileName))).Append(" \"$SLURM_ARRAY_TASK_ID\"\n");
        var number = Directory.GetFiles(folder, "submit-*.sh").Length + 1;
        var scriptPath = Path.Combine(folder, $"submit-{number}.sh");
        Runs.FileWrite.Atomically(scriptPath, "writing", script.ToString());

        var (code, stdout, stderr) = Tool("sbatch", "--parsable", scriptPath);
        if (code != 0)
            throw new ConfigurationException($"--executor slurm: sbatch {scriptPath} failed (exit {code}): {OneLine(stderr + stdout)}");
        var job = stdout.Trim().Split(';')[0];
        File.AppendAllText(Path.Combine(folder, Submissions), $"{job}\t{indices}\t{DateTimeOffset.UtcNow:O}\n");
        return job;
    }

    /// <summary>Every job id submitted for the plan, oldest first.</summary>
    public static IReadOnlyList<(string Job, HashSet<int> Indices)> Submitted(TaskPlan plan)
    {
        var path = Path.Combine(Folder(plan), Submissions);
        if (!File.Exists(path)) return [];
        return File.ReadLines(path).Where(l => l.Length > 0).Select(l => l.Split('\t'))
            .Select(p => (p[0], Expand(p[1]))).ToList();
    }

    /// <summary>The plan's array tasks Slurm still holds (pending or running), by task index, with their state.</summary>
    public static IReadOnlyDictionary<int, string> Queued(TaskPlan plan)
    {
        var jobs = Submitted(plan).Select(s => s.Job).ToList();
        var queued = new Dictionary<int, string>();
        if (jobs.Count == 0) return queued;
        // -r: one line per array task ("123_4 PENDING"); a pending array shows as 123_[4-7] without it.
        var (code, stdout, stderr) = Tool("squeue", "-h", "-r", "-o", "%i %T", "-j", string.Join(',', jobs));
        if (code != 0)
        {
            // Jobs that have all left the queue are unknown to squeue: nothing is queued.
            if (stderr.Contains("Invalid job id", StringComparison.OrdinalIgnoreCase)) return queued;
            throw new ConfigurationException($"squeue failed (exit {code}): {OneLine(stderr + stdout)}");
        }
        foreach (var line in stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split(' ', 2);
            var id = parts[0];
            if (id.IndexOf('_') is var u and > 0 && int.TryParse(id[(u + 1)..], out var index)) queued[index] = parts.Length > 1 ? parts[1].ToLowerInvariant() : "queued";
        }
        return queued;
    }

    /// <summary>Waits until none of the plan's array tasks is queued or running, saying how many are left when that changes.</summary>
    public static void Wait(TaskPlan plan, CancellationToken cancel)
    {
        int last = -1;
        while (!cancel.IsCancellationRequested)
        {
            var queued = Queued(plan);
            if (queued.Count == 0) return;
            if (queued.Count != last)
                Console.WriteLine($"waiting for {queued.Count} array task(s): {string.Join(", ", queued.GroupBy(kv => kv.Value).Select(g => $"{g.Count()} {g.Key}"))}");
            last = queued.Count;
            cancel.WaitHandle.WaitOne(TimeSpan.FromSeconds(2));
        }
    }

    /// <summary>The last line the array task's newest job wrote to its output file (Slurm's own "CANCELLED ... DUE TO TIME LIMIT" among them), or null.</summary>
    public static string? LastOutputLine(TaskPlan plan, IReadOnlyList<(string Job, HashSet<int> Indices)> submitted, int index)
    {
        foreach (var (job, _) in submitted.Where(s => s.Indices.Contains(index)).Reverse())
        {
            var path = Path.Combine(Folder(plan), $"{job}_{index.ToString(CultureInfo.InvariantCulture)}.out");
            if (File.Exists(path))
                return File.ReadLines(path).LastOrDefault(l => !string.IsNullOrWhiteSpace(l))?.Trim() ?? $"{path} is empty";
        }
        return null;
    }

    /// <summary>0,1,2,5,7,8 → "0-2,5,7-8": sbatch's --array syntax.</summary>
    public static string Ranges(IEnumerable<int> indices)
    {
        var sorted = indices.Distinct().Order().ToList();
        var parts = new List<string>();
        for (int i = 0; i < sorted.Count;)
        {
            int j = i;
            while (j + 1 < sorted.Count && sorted[j + 1] == sorted[j] + 1) j++;
            parts.Add(i == j ? $"{sorted[i]}" : $"{sorted[i]}-{sorted[j]}");
            i = j + 1;
        }
        return string.Join(',', parts);
    }

    private static HashSet<int> Expand(string ranges) =>
        ranges.Split(',', StringSplitOptions.RemoveEmptyEntries).SelectMany(r => r.Split('-') is [var a, var b]
            ? Enumerable.Range(int.Parse(a, CultureInfo.InvariantCulture), int.Parse(b, CultureInfo.InvariantCulture) - int.Parse(a, CultureInfo.InvariantCulture) + 1)
            : [int.Parse(r, CultureInfo.InvariantCulture)]).ToHashSet();

    private static string Sanitise(string name) => new(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '-').ToArray());

    private static string OneLine(string text) => string.Join(" ", text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private static (int Code, string Stdout, string Stderr) Tool(string tool, params string[] args)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) start.ArgumentList.Add(a);
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new ConfigurationException(
                $"--executor slurm: {tool} not found on PATH; run this on a machine of the Slurm cluster (Debian: apt-get install slurm-client), or use --executor local or kubernetes");
        }
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, stdout.Result, stderr);
        }
    }
}
