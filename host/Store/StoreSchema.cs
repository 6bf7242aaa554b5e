namespace Untangle.Host.Store;

/// <summary>
/// The store's schema, one list of versions for SQLite and PostgreSQL: version 1 creates the tables,
/// each later version is a migration from the one before. A new store runs them all, an older store
/// the ones it lacks, inside one transaction (so a store is at one version or the next, never
/// between), and a store newer than this host is refused, never written to.
/// </summary>
/// <remarks>
/// The two databases share the tables, columns and queries; they differ only in two spellings:
/// a floating-point column (SQLite REAL, PostgreSQL DOUBLE PRECISION; PostgreSQL's REAL is 4 bytes)
/// and the column that keeps insertion order (SQLite's implicit rowid; PostgreSQL an identity
/// column "seq", declared in version 1 of the tables that are read back in order).
/// </remarks>
internal static class StoreSchema
{
    /// <summary>The version this host writes.</summary>
    public const int Version = 2;

    /// <summary>The statements that take a store from version <c>v − 1</c> to <c>v</c> (index v − 1).</summary>
    public static IReadOnlyList<string> Steps(StoreDialect d) =>
    [
        // 1: the tables.
        $"""
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
            seconds {d.Real},
            PRIMARY KEY (run_id, epoch));
        CREATE TABLE epoch_values (
            {d.SequenceColumn}run_id TEXT NOT NULL,
            epoch INTEGER NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('loss', 'validation')),
            name TEXT NOT NULL,
            value {d.Real},
            PRIMARY KEY (run_id, epoch, kind, name),
            FOREIGN KEY (run_id, epoch) REFERENCES epochs(run_id, epoch) ON DELETE CASCADE);
        CREATE TABLE final_metrics (
            {d.SequenceColumn}run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
            split TEXT NOT NULL CHECK (split IN ('validation', 'test')),
            name TEXT NOT NULL,
            mean {d.Real},
            standard_error {d.Real},
            users INTEGER,
            PRIMARY KEY (run_id, split, name));
        CREATE TABLE artifacts (
            run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            path TEXT NOT NULL,
            PRIMARY KEY (run_id, name));
        """,
        // 2: the machine that trains (or last trained) each run: with many workers on one store, a
        // "running" row names the host to look on; and an index for `runs`, which lists newest first.
        """
        ALTER TABLE runs ADD COLUMN host TEXT;
        CREATE INDEX runs_created ON runs (created_at);
        """,
    ];
}

/// <summary>The two spellings in which the store's databases differ (<see cref="StoreSchema"/>).</summary>
internal sealed record StoreDialect(string Real, string SequenceColumn, string InsertionOrder)
{
    public static readonly StoreDialect Sqlite = new("REAL", "", "rowid");
    public static readonly StoreDialect Postgres = new("DOUBLE PRECISION", "seq BIGINT GENERATED ALWAYS AS IDENTITY, ", "seq");
}
