using System.Globalization;
using System.Text;

namespace Untangle.Host.Tasks;

/// <summary>What `--executor kubernetes` writes into the manifest: the image holding the untangle tool, the claim of the shared volume, and how many pods run at once.</summary>
public sealed record KubernetesOptions(string Image, string VolumeClaim, int Cpus, int? MaxParallel);

/// <summary>
/// The same array tasks as a Kubernetes indexed Job (batch/v1, completionMode Indexed): pod i runs
/// <c>untangle task ROOT/tasks.json</c>, which reads its index from JOB_COMPLETION_INDEX. The shared
/// volume (a ReadWriteMany PersistentVolumeClaim) is mounted at the working directory the plan was
/// made in, so the plan's absolute paths (plugins.json, data, ROOT, a SQLite store) mean the same in
/// the pod; with many pods, a PostgreSQL store is the one to use. A finished task's pod skips it, so
/// applying the manifest again after failures reruns only what did not finish.
/// </summary>
public static class KubernetesJob
{
    public const string FileName = "kubernetes-job.yaml";

    public static string Write(TaskPlan plan, KubernetesOptions options)
    {
        var name = Name($"untangle-{plan.Kind}-{plan.Name}");
        var count = plan.Tasks.Count.ToString(CultureInfo.InvariantCulture);
        var yaml = new StringBuilder();
        yaml.Append($"""
            # {plan.Kind} {plan.Name}: {plan.Tasks.Count} array tasks of {Path.Combine(plan.Root, TaskPlan.FileName)}
            # kubectl apply -f {Path.Combine(plan.Root, FileName)}; then: untangle {plan.Kind} --collect {plan.Root}
            apiVersion: batch/v1
            kind: Job
            metadata:
              name: {name}
              labels:
                app.kubernetes.io/name: untangle
            spec:
              completionMode: Indexed
              completions: {count}
              parallelism: {(options.MaxParallel ?? plan.Tasks.Count).ToString(CultureInfo.InvariantCulture)}
              backoffLimitPerIndex: 1
              maxFailedIndexes: {count}
              template:
                spec:
                  restartPolicy: Never
                  containers:
                    - name: task
                      image: {Quoted(options.Image)}
                      workingDir: {Quoted(plan.WorkingDirectory)}
                      command: ["untangle", "task", {Quoted(Path.Combine(plan.Root, TaskPlan.FileName))}]
                      resources:
                        requests:
                          cpu: "{options.Cpus.ToString(CultureInfo.InvariantCulture)}"
                      volumeMounts:
                        - name: shared
                          mountPath: {Quoted(plan.WorkingDirectory)}
                  volumes:
                    - name: shared
                      persistentVolumeClaim:
                        claimName: {Quoted(options.VolumeClaim)}

            """);
        var path = Path.Combine(plan.Root, FileName);
        Runs.FileWrite.Atomically(path, "writing", yaml.ToString());
        return path;
    }

    /// <summary>A DNS label: lower case, letters, digits and '-', at most 63 characters (a Job's name).</summary>
    private static string Name(string text)
    {
        var name = new string(text.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray()).Trim('-');
        return name.Length <= 63 ? name : name[..63].TrimEnd('-');
    }

    /// <summary>A YAML double-quoted scalar.</summary>
    private static string Quoted(string text) => "\"" + text.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
}
