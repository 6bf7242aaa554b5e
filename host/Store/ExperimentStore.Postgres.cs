using Npgsql;

namespace Untangle.Host.Store;

/// <summary>The store in a PostgreSQL database: opening it, building or migrating its schema, and what its errors mean.</summary>
public sealed partial class ExperimentStore
{
    /// <summary>
    /// Any number that names the schema's advisory lock: workers opening one database at once build or
    /// migrate its schema one after another, each re-reading the version once it holds the lock.
    /// </summary>
    private const long SchemaLock = 0x756e74616e676c65; // "untangle"

    private static ExperimentStore OpenPostgres(string location)
    {
        var (connectionString, shown) = PostgresLocation.Parse(location);
        var connection = new NpgsqlConnection(connectionString);
        try
        {
            connection.Open();
            using var transaction = connection.BeginTransaction();
            Execute(connection, $"SELECT pg_advisory_xact_lock({SchemaLock}); CREATE TABLE IF NOT EXISTS store_schema (version INTEGER NOT NULL);");
            var version = Scalar(connection, "SELECT max(version) FROM store_schema") is int v ? v : 0;
            if (version > StoreSchema.Version)
                throw new CorruptStoreException($"experiment store {shown}: schema version {version}, this host reads versions 1 to {StoreSchema.Version} (a newer Untangle wrote it; use that one)");
            if (version < StoreSchema.Version)
            {
                Migrate(connection, version, StoreDialect.Postgres);
                Execute(connection, $"DELETE FROM store_schema; INSERT INTO store_schema VALUES ({StoreSchema.Version});");
            }
            transaction.Commit();
            return new ExperimentStore(shown, connection, StoreDialect.Postgres);
        }
        catch (NpgsqlException e)
        {
            connection.Dispose();
            // Refused for a reason of its own (no such database, authentication, permissions): one line naming the store.
            throw TranslatePostgres(shown, e) ?? new ConfigurationException(e is PostgresException p
                ? $"experiment store {shown}: PostgreSQL refused it ({p.SqlState}: {p.MessageText.TrimEnd('.')}); expected an existing database this user may create tables in (createdb, GRANT)"
                : $"experiment store {shown}: {e.Message.TrimEnd('.')}", e);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>
    /// PostgreSQL's reports: a connection that failed or broke (class 08, or no server answer at all),
    /// insufficient resources (53: disk full, out of memory, too many connections) and a server shutting
    /// down (57P) leave the store as it was: unavailable. Data corruption (XX001, XX002) is damage. Any
    /// other error is a fault of the query, not of the store, and is not reworded.
    /// </summary>
    private static Exception? TranslatePostgres(string shown, NpgsqlException e)
    {
        if (e is PostgresException p)
        {
            if (p.SqlState is "XX001" or "XX002")
                return new CorruptStoreException($"experiment store {shown}: PostgreSQL reports damaged data ({p.MessageText}); restore the database from a backup", e);
            if (!(p.SqlState.StartsWith("08", StringComparison.Ordinal) || p.SqlState.StartsWith("53", StringComparison.Ordinal) || p.SqlState.StartsWith("57P", StringComparison.Ordinal)))
                return null;
        }
        var what = e is PostgresException pe ? $"{pe.SqlState}: {pe.MessageText}" : e.InnerException?.Message ?? e.Message;
        return new StoreUnavailableException(
            $"experiment store {shown}: the PostgreSQL server could not be reached or could not write ({what.TrimEnd('.')}); the store is not damaged by this: start the server or fix the cause, then run again", e);
    }
}
