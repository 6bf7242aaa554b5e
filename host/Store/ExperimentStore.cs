using System.Data.Common;
using Microsoft.Data.Sqlite;
using Untangle.Host.Runs;

namespace Untangle.Host.Store;

/// <summary>
/// The experiment store: every run — resolved configuration, status, seed, start and end, error,
/// source revision, the machine that trains it — with its per-epoch losses and validation metrics, its
/// final metrics and the paths of its files. One SQLite file by default (runs/untangle.db), or a
/// PostgreSQL database (<c>--store postgres://user@host/db</c>) that workers on many machines write at once.
/// </summary>
/// <remarks>
/// <para>Tables: runs (one row per run), epochs (run, epoch, seconds), epoch_values (run, epoch,
/// kind = loss | validation, name, value), final_metrics (run, split = validation | test, name, mean,
/// standard error, users), artifacts (run, name, path). Non-finite values are stored as NULL. Both
/// databases hold the same schema, built and migrated by the same steps (<see cref="StoreSchema"/>),
/// and answer the same queries.</para>
/// <para>Faults (SQLite): a new store is built under a temporary name and renamed into place, so the file at
/// the store's path is always a complete store; opening runs SQLite's quick_check and checks the
/// schema version, and a file that fails either is reported (<see cref="CorruptStoreException"/>),
/// never rebuilt over. SQLite's journal (WAL) makes each write atomic across a kill -9. PostgreSQL:
/// every multi-row write is one transaction, and a server that cannot be reached is reported as
/// unavailable (<see cref="StoreUnavailableException"/>), like a full disk.</para>
/// </remarks>
public sealed partial class ExperimentStore : IDisposable
{
    private readonly DbConnection _connection;
    private readonly StoreDialect _dialect;
    private readonly Lock _lock = new();

    /// <summary>Where the store is, as the user reads it: the SQLite file, or the PostgreSQL URL without its password.</summary>
    public string Path { get; }

    private ExperimentStore(string path, DbConnection connection, StoreDialect dialect)
    {
        Path = path;
        _connection = connection;
        _dialect = dialect;
    }

    /// <summary>
    /// Opens the store at <paramref name="location"/>: a PostgreSQL URL or connection string
    /// (<see cref="PostgresLocation"/>), else a SQLite file, created (with its folder) when there is none.
    /// Either is brought to the current schema version on the way.
    /// </summary>
    public static ExperimentStore Open(string location) =>
        PostgresLocation.Is(location) ? OpenPostgres(location) : OpenSqlite(location);

    private static ExperimentStore OpenSqlite(string path)
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
            return new ExperimentStore(path, connection, StoreDialect.Sqlite);
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
        // A temporary name of this opener's own (process and GUID): servers started together may all find no store yet.
        var temp = $"{path}.new-{Environment.ProcessId}-{Guid.NewGuid():N}";
        try
        {
            using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = temp, Pooling = false }.ToString()))
            {
                connection.Open();
                Execute(connection, "PRAGMA journal_mode = WAL;");
                using var transaction = connection.BeginTransaction();
                Migrate(connection, 0, StoreDialect.Sqlite);
                Execute(connection, $"PRAGMA user_version = {StoreSchema.Version};");
                transaction.Commit();
            }
            // The complete store appears under its name in one step; a crash before this leaves no store.
            // Never over a store another process put there meanwhile: that one is in use, and as good.
            // (File.Move(overwrite: false) checks, then renames: two openers at once both replaced.)
            if (!UnixFiles.MoveWithoutReplacing(temp, path)) File.Delete(temp);
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
            if (Version(connection) == StoreSchema.Version) return;
            // An older store is migrated in one write transaction (BEGIN IMMEDIATE: one process at a
            // time), re-reading the version inside it, since another process may have migrated meanwhile.
            using var transaction = connection.BeginTransaction();
            var version = Version(connection);
            if (version > StoreSchema.Version || version < 1)
                throw new CorruptStoreException($"experiment store {path}: schema version {version}, this host reads versions 1 to {StoreSchema.Version}{(version > StoreSchema.Version ? " (a newer Untangle wrote it; use that one)" : "")}");
            if (version == StoreSchema.Version) return;
            Migrate(connection, version, StoreDialect.Sqlite);
            Execute(connection, $"PRAGMA user_version = {StoreSchema.Version};");
            transaction.Commit();
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

    private static int Version(SqliteConnection connection) => Convert.ToInt32(Scalar(connection, "PRAGMA user_version;"));

    /// <summary>Runs the schema steps after <paramref name="from"/> (<see cref="StoreSchema"/>) inside the caller's transaction.</summary>
    private static void Migrate(DbConnection connection, int from, StoreDialect dialect)
    {
        var steps = StoreSchema.Steps(dialect);
        for (int v = from; v < steps.Count; v++) Execute(connection, steps[v]);
    }

    private static void Execute(DbConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static object? Scalar(DbConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    /// <summary>
    /// Runs one store operation under the store's lock, turning the database's reports of damage into
    /// <see cref="CorruptStoreException"/> and of a store that cannot be used now into <see cref="StoreUnavailableException"/>.
    /// </summary>
    private T Guarded<T>(Func<DbConnection, T> operation)
    {
        lock (_lock)
        {
            try
            {
                return operation(_connection);
            }
            catch (Exception e) when (Translate(e) is { } reported)
            {
                throw reported;
            }
        }
    }

    private Exception? Translate(Exception e) => e switch
    {
        SqliteException s when s.SqliteErrorCode is 11 or 26 => Damaged(Path, s), // SQLITE_CORRUPT, SQLITE_NOTADB
        SqliteException s when IsUnavailable(s) => Unavailable(Path, s),
        Npgsql.NpgsqlException n => TranslatePostgres(Path, n),
        IOException => Unavailable(Path, e),
        _ => null,
    };

    private void Guarded(Action<DbConnection> operation) => Guarded(c =>
    {
        operation(c);
        return 0;
    });

    /// <summary>A command with named parameters (<c>@name</c>, which SQLite and PostgreSQL both read); non-finite numbers become NULL, times ISO 8601 text.</summary>
    private static DbCommand Command(DbConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value switch
            {
                null => DBNull.Value,
                double d when !double.IsFinite(d) => DBNull.Value,
                DateTimeOffset t => t.ToUniversalTime().ToString("O"),
                _ => value,
            };
            command.Parameters.Add(parameter);
        }
        return command;
    }
}
