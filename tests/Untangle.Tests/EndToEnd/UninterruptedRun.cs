namespace Untangle.Tests.EndToEnd;

/// <summary>
/// The reference the fault tests compare with: one experiment run from start to end without a fault,
/// in its own process. Every interrupted, killed and resumed run of the same configuration must end
/// with exactly its per-user test metrics (per_user_test.csv holds them with all their digits).
/// </summary>
public sealed class UninterruptedRun
{
    /// <summary>BPR-MF on a small synthetic set: 4 epochs of 49 batches, long enough to be killed part-way.</summary>
    public static readonly string[] Settings =
    [
        "--set", "dataset.users=150", "--set", "dataset.items=80", "--set", "train.epochs=4", "--set", "train.batch_size=64",
        "--set", "eval.metrics=ndcg@10,recall@10",
    ];

    public string Folder { get; }
    public string PerUser { get; }
    public string Metrics { get; }

    public UninterruptedRun()
    {
        var root = Scratch.Folder("untangle-reference-").FullName;
        Folder = Path.Combine(root, "run");
        var (code, _, err) = HostProcess.Run(HostProcess.Repo, ["run", "bpr-mf-synthetic", .. Settings, "--out", Folder, "--store", Path.Combine(root, "store.db")]);
        if (code != 0) throw new InvalidOperationException($"the reference run failed: {err}");
        PerUser = File.ReadAllText(Path.Combine(Folder, "per_user_test.csv"));
        Metrics = File.ReadAllText(Path.Combine(Folder, "metrics.json"));
    }

    /// <summary>The "test" and "validation" sections and best epoch of a metrics.json, for comparison.</summary>
    public static string Essentials(string metricsJson)
    {
        using var doc = System.Text.Json.JsonDocument.Parse(metricsJson);
        var root = doc.RootElement;
        return $"best {root.GetProperty("best_epoch")}; validation {root.GetProperty("validation")}; test {root.GetProperty("test")}";
    }
}

[CollectionDefinition(Name)]
public sealed class HostProcessCollection : ICollectionFixture<UninterruptedRun>
{
    public const string Name = "host processes";
}
