using System.Globalization;
using System.Data.Common;
using Untangle.Host.Runs;
using Untangle.Host.Composition;
using Untangle.Host.Results;
using Untangle.Host.Training;

namespace Untangle.Host.Store;

/// <summary>Recording a run's life: created, configured, running, each epoch, and how it ended.</summary>
public sealed partial class ExperimentStore
{
    public void Insert(StoredRun run) => Guarded(c =>
    {
        using var command = Command(c, """
            INSERT INTO runs (id, experiment, method, status, seed, config, folder, source, source_revision, created_at, started_at, validation_metric)
            VALUES (@id, @experiment, @method, @status, @seed, @config, @folder, @source, @revision, @created, @started, @metric)
            """,
            ("@id", run.Id), ("@experiment", run.Experiment), ("@method", run.Method), ("@status", run.Status), ("@seed", run.Seed),
            ("@config", run.Config), ("@folder", run.Folder), ("@source", run.Source), ("@revision", run.SourceRevision),
            ("@created", run.CreatedAt), ("@started", run.StartedAt), ("@metric", run.ValidationMetric));
        command.ExecuteNonQuery();
    });

    /// <summary>Records what the run resolved to: method, seed, validation metric and the whole configuration.</summary>
    public void Configure(string id, ResolvedExperiment experiment) => Update(id,
        "method = @method, seed = @seed, config = @config, validation_metric = @metric",
        ("@method", experiment.MethodName), ("@seed", experiment.Run.Seed), ("@config", RunResults.ConfigJson(experiment)),
        ("@metric", experiment.Run.ValidationMetric));

    public void MarkRunning(string id, bool resumed) => Update(id,
        "status = @status, error = NULL, ended_at = NULL, started_at = COALESCE(started_at, @now), resumes = resumes + @resumed, host = @host",
        ("@status", RunStatus.Running), ("@now", DateTimeOffset.UtcNow), ("@resumed", resumed ? 1 : 0), ("@host", Environment.MachineName));

    public void AppendEpoch(string id, EpochRecord record) => Guarded(c =>
    {
        using var transaction = c.BeginTransaction();
        WriteEpoch(c, id, record);
        FaultPoint.Reach("store.write", Path);
        transaction.Commit();
    });

    /// <summary>On resume: the stored epochs become exactly the checkpoint's (a crash may have stored an epoch the checkpoint lacks).</summary>
    public void ReplaceEpochs(string id, IReadOnlyList<EpochRecord> records) => Guarded(c =>
    {
        using var transaction = c.BeginTransaction();
        using (var delete = Command(c, "DELETE FROM epochs WHERE run_id = @id", ("@id", id)))
            delete.ExecuteNonQuery();
        foreach (var record in records) WriteEpoch(c, id, record);
        transaction.Commit();
    });

    /// <summary>A finished run: final validation (best epoch) and test metrics, its files, status finished.</summary>
    public void Finish(string id, RunOutcome outcome) => Guarded(c =>
    {
        using var transaction = c.BeginTransaction();
        foreach (var table in new[] { "final_metrics", "artifacts" })
        {
            using var delete = Command(c, $"DELETE FROM {table} WHERE run_id = @id", ("@id", id));
            delete.ExecuteNonQuery();
        }
        foreach (var (split, metrics) in new[] { ("validation", outcome.Training.Validation), ("test", outcome.Test) })
            foreach (var (name, m) in metrics)
            {
                using var insert = Command(c, "INSERT INTO final_metrics (run_id, split, name, mean, standard_error, users) VALUES (@id, @split, @name, @mean, @se, @users)",
                    ("@id", id), ("@split", split), ("@name", name), ("@mean", m.Mean), ("@se", m.StandardError), ("@users", m.Users));
                insert.ExecuteNonQuery();
            }
        foreach (var (name, path) in outcome.Results.Artifacts())
        {
            using var insert = Command(c, "INSERT INTO artifacts (run_id, name, path) VALUES (@id, @name, @path)", ("@id", id), ("@name", name), ("@path", path));
            insert.ExecuteNonQuery();
        }
        using (var update = Command(c, "UPDATE runs SET status = @status, ended_at = @now, error = NULL, best_epoch = @best WHERE id = @id",
                   ("@id", id), ("@status", RunStatus.Finished), ("@now", DateTimeOffset.UtcNow), ("@best", outcome.Training.BestEpoch)))
            update.ExecuteNonQuery();
        FaultPoint.Reach("store.write", Path);
        transaction.Commit();
    });

    public void Fail(string id, string error) => Update(id, "status = @status, ended_at = @now, error = @error",
        ("@status", RunStatus.Failed), ("@now", DateTimeOffset.UtcNow), ("@error", error));

    /// <summary>Stopped on request with a checkpoint; <paramref name="message"/> says where (kept in the error column until the run resumes).</summary>
    public void Interrupt(string id, string message) => Update(id, "status = @status, ended_at = @now, error = @error",
        ("@status", RunStatus.Interrupted), ("@now", DateTimeOffset.UtcNow), ("@error", message));

    private void Update(string id, string assignments, params (string, object?)[] parameters) => Guarded(c =>
    {
        using var command = Command(c, $"UPDATE runs SET {assignments} WHERE id = @id", [("@id", id), .. parameters]);
        FaultPoint.Reach("store.write", Path);
        if (command.ExecuteNonQuery() != 1)
            throw new InvalidOperationException($"experiment store {Path}: no run '{id}'");
    });

    private static void WriteEpoch(DbConnection c, string id, EpochRecord record)
    {
        // An epoch written again (a run resumed after a crash) replaces the old one whole: its values go with it (ON DELETE CASCADE).
        using (var old = Command(c, "DELETE FROM epochs WHERE run_id = @id AND epoch = @epoch", ("@id", id), ("@epoch", record.Epoch)))
            old.ExecuteNonQuery();
        using (var epoch = Command(c, "INSERT INTO epochs (run_id, epoch, seconds) VALUES (@id, @epoch, @seconds)",
                   ("@id", id), ("@epoch", record.Epoch), ("@seconds", record.Seconds)))
            epoch.ExecuteNonQuery();
        var values = record.Losses.Select(kv => ("loss", kv.Key, kv.Value))
            .Concat((record.Validation ?? new Dictionary<string, Contracts.Evaluation.MetricResult>()).Select(kv => ("validation", kv.Key, kv.Value.Mean)));
        foreach (var (kind, name, value) in values)
        {
            using var insert = Command(c, "INSERT INTO epoch_values (run_id, epoch, kind, name, value) VALUES (@id, @epoch, @kind, @name, @value)",
                ("@id", id), ("@epoch", record.Epoch), ("@kind", kind), ("@name", name), ("@value", value));
            insert.ExecuteNonQuery();
        }
    }

    /// <summary>A new run id: UTC time, the experiment's name, and four random hex digits against collisions.</summary>
    public static string NewRunId(string experiment)
    {
        var safe = new string(experiment.Select(ch => char.IsAsciiLetterOrDigit(ch) || ch is '-' or '_' or '.' ? ch : '-').ToArray());
        return $"{DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}-{safe}-{Random.Shared.Next(0x10000):x4}";
    }
}
