using System.Globalization;
using System.Data.Common;

namespace Untangle.Host.Store;

/// <summary>Reading runs back: the list, one run by id (or a unique prefix), its epochs, final metrics and files.</summary>
public sealed partial class ExperimentStore
{
    private const string RunColumns = "id, experiment, method, status, seed, config, folder, source, source_revision, created_at, started_at, ended_at, error, best_epoch, validation_metric, resumes, host";

    /// <summary>Every run, newest first.</summary>
    public IReadOnlyList<StoredRun> Runs() => Guarded(c =>
    {
        using var command = Command(c, $"SELECT {RunColumns} FROM runs ORDER BY created_at DESC, id DESC");
        return ReadRuns(command);
    });

    public StoredRun? Find(string id) => Guarded(c =>
    {
        using var command = Command(c, $"SELECT {RunColumns} FROM runs WHERE id = @id", ("@id", id));
        return ReadRuns(command).SingleOrDefault();
    });

    /// <summary>The run with this id, or the one run whose id starts with it; a clear error otherwise.</summary>
    public StoredRun Resolve(string idOrPrefix)
    {
        if (Find(idOrPrefix) is { } exact) return exact;
        var matches = Runs().Where(r => r.Id.StartsWith(idOrPrefix, StringComparison.Ordinal)).ToList();
        return matches.Count switch
        {
            1 => matches[0],
            0 => throw new ConfigurationException($"no run '{idOrPrefix}' in the experiment store {Path}; `runs` lists them"),
            _ => throw new ConfigurationException($"'{idOrPrefix}' matches {matches.Count} runs in {Path}: {string.Join(", ", matches.Take(5).Select(m => m.Id))}{(matches.Count > 5 ? ", ..." : "")}"),
        };
    }

    /// <summary>The run whose results live in <paramref name="folder"/>, if the store has one.</summary>
    public StoredRun? FindByFolder(string folder) => Guarded(c =>
    {
        using var command = Command(c, $"SELECT {RunColumns} FROM runs WHERE folder = @folder ORDER BY created_at DESC LIMIT 1", ("@folder", folder));
        return ReadRuns(command).SingleOrDefault();
    });

    public IReadOnlyList<StoredEpochRow> Epochs(string id) => Guarded(c =>
    {
        var seconds = new SortedDictionary<int, double>();
        using (var command = Command(c, "SELECT epoch, seconds FROM epochs WHERE run_id = @id", ("@id", id)))
        using (var reader = command.ExecuteReader())
            while (reader.Read()) seconds[reader.GetInt32(0)] = Real(reader, 1);
        var losses = seconds.Keys.ToDictionary(e => e, _ => new Dictionary<string, double>(StringComparer.Ordinal));
        var validation = seconds.Keys.ToDictionary(e => e, _ => new Dictionary<string, double>(StringComparer.Ordinal));
        using (var command = Command(c, $"SELECT epoch, kind, name, value FROM epoch_values WHERE run_id = @id ORDER BY {_dialect.InsertionOrder}", ("@id", id)))
        using (var reader = command.ExecuteReader())
            while (reader.Read())
            {
                int epoch = reader.GetInt32(0);
                if (!seconds.ContainsKey(epoch)) continue;
                (reader.GetString(1) == "loss" ? losses : validation)[epoch][reader.GetString(2)] = Real(reader, 3);
            }
        return seconds.Select(kv => new StoredEpochRow(kv.Key, kv.Value, losses[kv.Key], validation[kv.Key])).ToList();
    });

    public IReadOnlyList<StoredMetricRow> FinalMetrics(string id) => Guarded(c =>
    {
        using var command = Command(c, $"SELECT split, name, mean, standard_error, users FROM final_metrics WHERE run_id = @id ORDER BY {_dialect.InsertionOrder}", ("@id", id));
        using var reader = command.ExecuteReader();
        var rows = new List<StoredMetricRow>();
        while (reader.Read())
            rows.Add(new StoredMetricRow(reader.GetString(0), reader.GetString(1), Real(reader, 2), Real(reader, 3), reader.IsDBNull(4) ? 0 : reader.GetInt32(4)));
        return rows;
    });

    public IReadOnlyDictionary<string, string> Artifacts(string id) => Guarded(c =>
    {
        using var command = Command(c, "SELECT name, path FROM artifacts WHERE run_id = @id ORDER BY name", ("@id", id));
        using var reader = command.ExecuteReader();
        var artifacts = new Dictionary<string, string>(StringComparer.Ordinal);
        while (reader.Read()) artifacts[reader.GetString(0)] = reader.GetString(1);
        return artifacts;
    });

    private static List<StoredRun> ReadRuns(DbCommand command)
    {
        using var reader = command.ExecuteReader();
        var runs = new List<StoredRun>();
        while (reader.Read())
        {
            runs.Add(new StoredRun
            {
                Id = reader.GetString(0),
                Experiment = reader.GetString(1),
                Method = Text(reader, 2),
                Status = reader.GetString(3),
                Seed = reader.IsDBNull(4) ? null : reader.GetInt32(4),
                Config = Text(reader, 5),
                Folder = reader.GetString(6),
                Source = reader.GetString(7),
                SourceRevision = Text(reader, 8),
                CreatedAt = Time(reader, 9)!.Value,
                StartedAt = Time(reader, 10),
                EndedAt = Time(reader, 11),
                Error = Text(reader, 12),
                BestEpoch = reader.IsDBNull(13) ? null : reader.GetInt32(13),
                ValidationMetric = Text(reader, 14),
                Resumes = reader.GetInt32(15),
                Host = Text(reader, 16),
            });
        }
        return runs;
    }

    private static string? Text(DbDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);
    private static double Real(DbDataReader r, int i) => r.IsDBNull(i) ? double.NaN : r.GetDouble(i);
    private static DateTimeOffset? Time(DbDataReader r, int i) =>
        r.IsDBNull(i) ? null : DateTimeOffset.Parse(r.GetString(i), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
}
