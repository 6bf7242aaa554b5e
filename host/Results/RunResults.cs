using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Untangle.Contracts.Data;
using Untangle.Contracts.Evaluation;
using Untangle.Host.Composition;
using Untangle.Host.Runs;
using Untangle.Host.Training;

namespace Untangle.Host.Results;

/// <summary>
/// Writes a run's files into its output folder: config.json (the resolved configuration, written
/// before training), epochs.jsonl (one line per epoch, appended as it ends), metrics.json and
/// per_user_test.csv (at the end). Files are written to a temporary name and moved into place, so an
/// interrupted run never leaves a half-written result.
/// </summary>
public sealed class RunResults(string folder) : Untangle.Host.Runs.IRunObserver
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public string Folder { get; } = folder;
    public string ConfigPath => Path.Combine(Folder, "config.json");
    public string MetricsPath => Path.Combine(Folder, "metrics.json");
    public string EpochLogPath => Path.Combine(Folder, "epochs.jsonl");
    public string PerUserPath => Path.Combine(Folder, "per_user_test.csv");
    public string CheckpointFolder => Path.Combine(Folder, "checkpoint");

    public void WriteConfig(ResolvedExperiment experiment)
    {
        Directory.CreateDirectory(Folder);
        WriteAtomically(ConfigPath, ConfigJson(experiment));
    }

    /// <summary>config.json's text: the experiment's name and every resolved key (the store keeps the same text).</summary>
    public static string ConfigJson(ResolvedExperiment experiment)
    {
        var json = new JsonObject { ["experiment"] = experiment.Name };
        foreach (var (k, v) in experiment.Flat) json[k] = v;
        return json.ToJsonString(Indented);
    }

    /// <summary>The run's files by name, for the store's artifacts table (those that exist).</summary>
    public IReadOnlyDictionary<string, string> Artifacts()
    {
        var all = new Dictionary<string, string>
        {
            ["config"] = ConfigPath, ["metrics"] = MetricsPath, ["epochs"] = EpochLogPath, ["per_user_test"] = PerUserPath,
            ["log"] = Path.Combine(Folder, "run.log"), ["checkpoint"] = CheckpointFolder,
        };
        return all.Where(kv => File.Exists(kv.Value) || Directory.Exists(kv.Value)).ToDictionary();
    }

    public void AppendEpoch(EpochRecord record) => FileWrite.Append(EpochLogPath, "appending an epoch to", EpochLine(record));

    void Untangle.Host.Runs.IRunObserver.EpochEnded(EpochRecord record) => AppendEpoch(record);
    void Untangle.Host.Runs.IRunObserver.Resumed(IReadOnlyList<EpochRecord> records) => RewriteEpochs(records);

    /// <summary>
    /// On resume: the epoch log becomes exactly the checkpoint's epochs (a crash may have left lines of
    /// an epoch the checkpoint does not have; the resumed run writes them again).
    /// </summary>
    public void RewriteEpochs(IReadOnlyList<EpochRecord> records)
    {
        Directory.CreateDirectory(Folder);
        WriteAtomically(EpochLogPath, string.Concat(records.Select(EpochLine)));
    }

    private static string EpochLine(EpochRecord record)
    {
        var line = new JsonObject
        {
            ["epoch"] = record.Epoch,
            ["seconds"] = Round(record.Seconds),
            ["losses"] = Object(record.Losses.ToDictionary(kv => kv.Key, kv => kv.Value)),
        };
        if (record.Validation is not null) line["validation"] = Means(record.Validation);
        return line.ToJsonString() + "\n";
    }

    public void WriteMetrics(ResolvedExperiment experiment, Dataset dataset, Split split, TrainingOutcome outcome,
        IReadOnlyDictionary<string, MetricResult> test, IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>> analyses, double seconds)
    {
        var json = new JsonObject
        {
            ["experiment"] = experiment.Name,
            ["method"] = experiment.MethodName,
            ["dataset"] = new JsonObject
            {
                ["name"] = dataset.Name,
                ["users"] = dataset.UserCount,
                ["items"] = dataset.ItemCount,
                ["interactions"] = dataset.Interactions.Count,
            },
            ["split"] = new JsonObject
            {
                ["protocol"] = split.Protocol,
                ["train_users"] = split.UserCount,
                ["items"] = split.ItemCount,
                ["train_interactions"] = split.Train.Count,
                ["validation_users"] = split.Validation.Count,
                ["test_users"] = split.Test.Count,
            },
            ["seed"] = experiment.Run.Seed,
            ["selected_on"] = experiment.Run.SelectOnTest ? "test" : "validation",
            ["best_epoch"] = outcome.BestEpoch,
            ["epochs_run"] = outcome.Epochs.Count == 0 ? 0 : outcome.Epochs[^1].Epoch,
            ["stopped_early"] = outcome.StoppedEarly,
            ["seconds"] = Round(seconds),
            ["users_without_targets"] = experiment.Run.WithoutTargets.ToString().ToLowerInvariant(),
            ["validation"] = Means(outcome.Validation),
            ["test"] = Means(test),
            ["test_standard_error"] = Object(test.ToDictionary(kv => kv.Key, kv => kv.Value.StandardError)),
            ["test_users_counted"] = Object(test.ToDictionary(kv => kv.Key, kv => (double)kv.Value.Users)),
        };
        foreach (var (name, values) in analyses)
            json[name] = Object(values);
        WriteAtomically(MetricsPath, json.ToJsonString(Indented));
    }

    /// <summary>One row per test user: the data set's user id, then each metric (empty where the user was not counted).</summary>
    public void WritePerUser(Dataset dataset, EvaluationSet set, IReadOnlyDictionary<string, MetricResult> test)
    {
        var names = test.Keys.ToList();
        var sb = new StringBuilder("user," + string.Join(",", names) + "\n");
        for (int u = 0; u < set.Count; u++)
        {
            sb.Append(dataset.UserIds[set.DatasetUsers[u]]);
            foreach (var name in names)
            {
                sb.Append(',');
                var per = test[name].PerUser;
                if (u < per.Length && per[u] is double v) sb.Append(v.ToString("R", CultureInfo.InvariantCulture));
            }
            sb.Append('\n');
        }
        WriteAtomically(PerUserPath, sb.ToString());
    }

    private static JsonObject Means(IReadOnlyDictionary<string, MetricResult> metrics) =>
        Object(metrics.ToDictionary(kv => kv.Key, kv => kv.Value.Mean));

    private static JsonObject Object(IReadOnlyDictionary<string, double> values)
    {
        var o = new JsonObject();
        foreach (var (k, v) in values) o[k] = double.IsFinite(v) ? JsonValue.Create(Round(v)) : null;
        return o;
    }

    private static double Round(double v) => Math.Round(v, 6);

    private static void WriteAtomically(string path, string text) => FileWrite.Atomically(path, "writing", text);
}
