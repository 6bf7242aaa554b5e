using Microsoft.Data.Sqlite;
using Untangle.Host.Runs;

namespace Untangle.Host.Store;

/// <summary>
/// The experiment store: one SQLite file (default runs/untangle.db) recording every run — resolved
/// configuration, status, seed, start and end, error, source revision — with its per-epoch losses and
/// validation metrics, its final metrics and the paths of its files.
/// </summary>
/// <remarks>
/// <para>Tables: runs (one row per run), epochs (run, epoch, seconds), epoch_values (run, epoch,
/// kind = loss | validation, name, value), final_metrics (run, split = validation | test, name, mean,
/// standard error, users), artifacts (run, name, path). Non-finite values are stored as NULL.</para>
/// <para>Faults: a new store is built under a temporary name and renamed into place, so the file at
/// the store's path is always a complete store; opening runs SQLite's quick_check and checks the
/// schema version, and a file that fails either is reported (<see cref="CorruptStoreException"/>),
/// never rebuilt over. SQLite's journal (WAL) makes each write atomic across a kill -9.</para>
/// </remarks>
public sealed partial class ExperimentStore : IDisposable
{
    private const int SchemaVersion = 1;
    private readonly SqliteConnection _connection;
    private readonly Lock _lock = new();

    public string Path { get; }

    private ExperimentStore(string path, SqliteConnection connection)
    {
        Path = path;
        _connection = connection;
    }

    /// <summary>Opens the store at <paramref name="path"/>, creating it (and its folder) when there is no file.</summary>
    public static ExperimentStore Open(string path)
    {
        path = System.IO.Path.GetFullPath(path);
        if (!File.Exists(path))
        {
            try
            {
                Create(path);
            }
            catch (SqliteException e) when (IsUnavailable(e))
            {
                throw Unavailable(path, e);
            }
        }
        if (new FileInfo(path).Length == 0)
            throw new CorruptStoreException($"experiment store {path}: the file is empty (a store is created whole, so it was truncated); move it aside to start a new store");
        var connection = Connect(path);
        try
        {
            Check(path, connection);
            return new ExperimentStore(path, connection);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    public void Dispose() => _connection.Dispose();

    private static SqliteConnection Connect(string path)
    {
        // No pooling: the file is released when the store is disposed (tests, and a store moved aside).
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false, Mode = SqliteOpenMode.ReadWrite }.ToString());
        try
        {
            connection.Open();
            Execute(connection, "PRAGMA busy_timeout = 10000; PRAGMA foreign_keys = ON;");
            return connection;
        }
        catch (SqliteException e)
        {
            connection.Dispose();
            throw IsUnavailable(e) ? Unavailable(path, e) : Damaged(path, e);
        }
    }

    private static void Create(string path)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        // A temporary name of this process's own: servers started together may all find no store yet.
        var temp = $"{path}.new-{Environment.ProcessId}-{Random.Shared.Next(0x10000):x4}";
        try
        {
            using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = temp, Pooling = false }.ToString()))
            {
                connection.Open();
                Execute(connection, $"""
                    PRAGMA journal_mode = WAL;
                    CREATE TABLE runs (
                        id TEXT PRIMARY KEY,
                        experiment TEXT NOT NULL,
                        method TEXT,
                        status TEXT NOT NULL,
                        seed INTEGER,
                        config TEXT,
                        folder TEXT NOT NULL,
                        source TEXT NOT NULL,
                        source_revision TEXT,
                        created_at TEXT NOT NULL,
                        started_at TEXT,
                        ended_at TEXT,
                        error TEXT,
                        best_epoch INTEGER,
                        validation_metric TEXT,
                        resumes INTEGER NOT NULL DEFAULT 0);
                    CREATE TABLE epochs (
                        run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                        epoch INTEGER NOT NULL,
                        seconds REAL,
                        PRIMARY KEY (run_id, epoch));
                    CREATE TABLE epoch_values (
                        run_id TEXT NOT NULL,
                        epoch INTEGER NOT NULL,
                        kind TEXT NOT NULL CHECK (kind IN ('loss', 'validation')),
                        name TEXT NOT NULL,
                        value REAL,
                        PRIMARY KEY (run_id, epoch, kind, name),
                        FOREIGN KEY (run_id, epoch) REFERENCES epochs(run_id, epoch) ON DELETE CASCADE);
                    CREATE TABLE final_metrics (
                        run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                        split TEXT NOT NULL CHECK (split IN ('validation', 'test')),
                        name TEXT NOT NULL,
                        mean REAL,
                        standard_error REAL,
                        users INTEGER,
                        PRIMARY KEY (run_id, split, name));
                    CREATE TABLE artifacts (
                        run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                        name TEXT NOT NULL,
                        path TEXT NOT NULL,
                        PRIMARY KEY (run_id, name));
                    PRAGMA user_version = {SchemaVersion};
                    """);
            }
            // The complete store appears under its name in one step; a crash before this leaves no store.
            // Never over a store another process put there meanwhile: that one is in use, and as good.
            try
            {
                File.Move(temp, path, overwrite: false);
            }
            catch (IOException) when (File.Exists(path))
            {
                File.Delete(temp);
            }
        }
        catch
        {
            // The half-built store never had the store's name: remove it (and SQLite's side files).
            foreach (var file in new[] { temp, temp + "-wal", temp + "-shm" }) FileWrite.TryDelete(file);
            throw;
        }
    }

    private static void Check(string path, SqliteConnection connection)
    {
        try
        {
            var check = Scalar(connection, "PRAGMA quick_check;") as string;
            if (check != "ok")
                throw new CorruptStoreException($"experiment store {path}: SQLite's quick_check reports damage ({check}); move it aside to start a new store");
            var version = Convert.ToInt32(Scalar(connection, "PRAGMA user_version;"));
            if (version != SchemaVersion)
                throw new CorruptStoreException($"experiment store {path}: schema version {version}, this host reads version {SchemaVersion}");
        }
        catch (SqliteException e)
        {
            throw IsUnavailable(e) ? Unavailable(path, e) : Damaged(path, e);
        }
    }

    /// <summary>
    /// SQLite's codes for a store that cannot be used now but is not damaged: SQLITE_BUSY (5),
    /// SQLITE_READONLY (8), SQLITE_IOERR (10: a failed read or write, a full disk among the causes),
    /// SQLITE_FULL (13), SQLITE_CANTOPEN (14). A failed write leaves the file as it was (the journal).
    /// </summary>
    private static bool IsUnavailable(SqliteException e) => e.SqliteErrorCode is 5 or 8 or 10 or 13 or 14;

    private static StoreUnavailableException Unavailable(string path, Exception e)
    {
        var what = e is SqliteException s ? s.Message.Replace("SQLite Error ", "SQLite error ").TrimEnd('.') : e.Message;
        return new StoreUnavailableException(
            $"experiment store {path}: could not be read or written ({what}; {UnixFiles.FreeSpace(path)}); the store is not damaged by this: free space or fix the cause, then run again", e);
    }

    private static CorruptStoreException Damaged(string path, SqliteException e) => new(
        $"experiment store {path}: not a readable SQLite store ({e.Message.Replace("SQLite Error ", "").TrimEnd('.')}); move it aside to start a new store", e);

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    /// <summary>Runs one store operation under the store's lock, turning SQLite's damage reports into <see cref="CorruptStoreException"/>.</summary>
    private T Guarded<T>(Func<SqliteConnection, T> operation)
    {
        lock (_lock)
        {
            try
            {
                return operation(_connection);
            }
            catch (SqliteException e) when (e.SqliteErrorCode is 11 or 26) // SQLITE_CORRUPT, SQLITE_NOTADB
            {
                throw Damaged(Path, e);
            }
            catch (SqliteException e) when (IsUnavailable(e))
            {
                throw Unavailable(Path, e);
            }
            catch (IOException e)
            {
                throw Unavailable(Path, e);
            }
        }
    }

    private void Guarded(Action<SqliteConnection> operation) => Guarded(c =>
    {
        operation(c);
        return 0;
    });

    private static SqliteCommand Command(SqliteConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
            command.Parameters.AddWithValue(name, value switch
            {
                null => DBNull.Value,
                double d when !double.IsFinite(d) => DBNull.Value,
                DateTimeOffset t => t.ToUniversalTime().ToString("O"),
                _ => value,
            });
        return command;
    }
}
