using Microsoft.Data.Sqlite;
using Untangle.Contracts.Evaluation;
using Untangle.Host;
using Untangle.Host.Store;
using Untangle.Host.Training;

namespace Untangle.Tests.Store;

/// <summary>
/// The store on both databases: the same rows read back the same way from SQLite and from a real
/// PostgreSQL server (<see cref="PostgresServer"/>), stores of schema version 1 migrated on opening,
/// and many writers at once.
/// </summary>
public class PostgresStoreTests(PostgresServer server) : IClassFixture<PostgresServer>
{
    private string NewStore(string database) => database == "postgres"
        ? server.NewDatabase()
        : Path.Combine(Scratch.Folder("untangle-store-").FullName, "untangle.db");

    private static StoredRun Row(string id, DateTimeOffset? created = null) => new()
    {
        Id = id, Experiment = "bpr-mf-synthetic", Status = RunStatus.Running, Folder = $"/runs/{id}", Source = "run",
        CreatedAt = created ?? DateTimeOffset.UtcNow, SourceRevision = "0123456789abcdef0123456789abcdef01234567",
    };

    private static EpochRecord Epoch(int epoch, double loss, double? ndcg) => new(epoch, 0.25 * epoch,
        new Dictionary<string, double> { ["total"] = loss, ["bpr"] = loss - 0.01, ["l2"] = 0.01 },
        ndcg is double v ? new Dictionary<string, MetricResult> { ["recall@20"] = new(v * 2, 0.02, 90, []), ["ndcg@20"] = new(v, 0.01, 90, []) } : null);

    [SkippableTheory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public void Both_databases_read_back_the_same_runs_epochs_and_order(string database)
    {
        var location = NewStore(database);
        using (var store = ExperimentStore.Open(location))
        {
            store.Insert(Row("20260101-000000-a-0001", DateTimeOffset.UtcNow.AddMinutes(-1)));
            store.Insert(Row("20260101-000000-b-0002"));
            store.MarkRunning("20260101-000000-a-0001", resumed: false);
            foreach (var e in new[] { Epoch(1, 0.7, 0.1), Epoch(2, 0.6, null), Epoch(3, 0.5, double.NaN) })
                store.AppendEpoch("20260101-000000-a-0001", e);
            store.AppendEpoch("20260101-000000-a-0001", Epoch(3, 0.4, 0.3)); // written again after a crash: replaces the old epoch 3
            store.Fail("20260101-000000-b-0002", "step 'bpr' produced a NaN loss");
        }

        using var reopened = ExperimentStore.Open(location);
        reopened.Runs().Select(r => r.Id).Should().Equal("20260101-000000-b-0002", "20260101-000000-a-0001");
        var run = reopened.Resolve("20260101-000000-a");
        run.Status.Should().Be(RunStatus.Running);
        run.Host.Should().Be(Environment.MachineName);
        run.SourceRevision.Should().StartWith("0123456789");
        reopened.Find("20260101-000000-b-0002")!.Error.Should().Contain("NaN loss");
        var epochs = reopened.Epochs(run.Id);
        epochs.Select(e => e.Epoch).Should().Equal(1, 2, 3);
        epochs[0].Losses.Keys.Should().Equal(["total", "bpr", "l2"], "losses come back in the order they were written");
        epochs[0].Validation.Keys.Should().Equal(["recall@20", "ndcg@20"]);
        epochs[1].Validation.Should().BeEmpty();
        epochs[2].Losses["total"].Should().Be(0.4);
        epochs[2].Validation["ndcg@20"].Should().Be(0.3);
        epochs[2].Seconds.Should().Be(0.75);
        if (database == "postgres") reopened.Path.Should().StartWith("postgres://postgres@").And.NotContain("Password");
    }

    [SkippableTheory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public void A_store_of_schema_version_1_is_migrated_on_opening_and_keeps_its_runs(string database)
    {
        var location = NewStore(database);
        // A version-1 store as the previous host wrote it: the tables without runs.host, one run in them.
        const string version1Row = "INSERT INTO runs (id, experiment, status, folder, source, created_at) VALUES ('old-run', 'bpr-mf-ml100k', 'finished', '/runs/old', 'run', '2026-11-01T00:00:00.0000000+00:00')";
        if (database == "postgres")
        {
            using var c = server.Connect(location);
            Execute(c, StoreSchema.Steps(StoreDialect.Postgres)[0]);
            Execute(c, "CREATE TABLE store_schema (version INTEGER NOT NULL); INSERT INTO store_schema VALUES (1);");
            Execute(c, version1Row);
        }
        else
        {
            using var c = new SqliteConnection($"Data Source={location};Pooling=false");
            c.Open();
            Execute(c, StoreSchema.Steps(StoreDialect.Sqlite)[0]);
            Execute(c, "PRAGMA user_version = 1;");
            Execute(c, version1Row);
        }

        using var store = ExperimentStore.Open(location);
        var old = store.Find("old-run")!;
        old.Status.Should().Be(RunStatus.Finished);
        old.Host.Should().BeNull("a run stored before version 2 has no host");
        store.Insert(Row("new-run"));
        store.MarkRunning("new-run", resumed: false);
        store.Find("new-run")!.Host.Should().Be(Environment.MachineName);
        if (database == "postgres")
        {
            using var c = server.Connect(location);
            Scalar(c, "SELECT max(version) FROM store_schema").Should().Be(StoreSchema.Version);
        }
        else
        {
            using var c = new SqliteConnection($"Data Source={location};Pooling=false");
            c.Open();
            Convert.ToInt32(Scalar(c, "PRAGMA user_version;")).Should().Be(StoreSchema.Version);
        }
    }

    [SkippableTheory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public void A_store_from_a_newer_host_is_refused_and_left_alone(string database)
    {
        var location = NewStore(database);
        using (ExperimentStore.Open(location)) { }
        if (database == "postgres")
        {
            using var c = server.Connect(location);
            Execute(c, "UPDATE store_schema SET version = 99");
        }
        else
        {
            using var c = new SqliteConnection($"Data Source={location};Pooling=false");
            c.Open();
            Execute(c, "PRAGMA user_version = 99;");
        }
        FluentActions.Invoking(() => ExperimentStore.Open(location)).Should().Throw<CorruptStoreException>()
            .WithMessage($"experiment store *: schema version 99, this host reads versions 1 to {StoreSchema.Version} (a newer Untangle wrote it; use that one)");
    }

    /// <summary>
    /// Eight writers, each with its own connection (as eight workers on eight machines), record 10 runs
    /// of 5 epochs each at the same time, the first opening a new database's schema at once.
    /// </summary>
    [SkippableTheory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Eight_writers_at_once_lose_nothing(string database)
    {
        var location = NewStore(database);
        using var start = new Barrier(8);
        var writers = Enumerable.Range(0, 8).Select(w => Task.Run(() =>
        {
            start.SignalAndWait();
            using var store = ExperimentStore.Open(location);
            for (int r = 0; r < 10; r++)
            {
                var id = $"w{w}-r{r}";
                store.Insert(Row(id));
                store.MarkRunning(id, resumed: false);
                for (int e = 1; e <= 5; e++) store.AppendEpoch(id, Epoch(e, 1.0 / e, 0.1 * e));
                store.Fail(id, $"writer {w} run {r} done");
            }
        })).ToArray();
        await Task.WhenAll(writers);

        using var reopened = ExperimentStore.Open(location);
        var runs = reopened.Runs();
        runs.Should().HaveCount(80);
        runs.Should().OnlyContain(r => r.Status == RunStatus.Failed && r.Error == $"writer {r.Id[1]} run {r.Id[4]} done");
        runs.Sum(r => reopened.Epochs(r.Id).Count).Should().Be(400);
        reopened.Epochs("w7-r9")[4].Validation["ndcg@20"].Should().BeApproximately(0.5, 1e-12);
    }

    [Fact]
    public void A_server_that_does_not_answer_is_unavailable_named_without_its_password()
    {
        var missing = Scratch.Folder("untangle-nopg-").FullName;
        FluentActions.Invoking(() => ExperimentStore.Open($"postgres://ada:s3cret@{Uri.EscapeDataString(missing)}:5999/runs"))
            .Should().Throw<StoreUnavailableException>()
            .WithMessage($"experiment store postgres://ada@{missing}:5999/runs: the PostgreSQL server could not be reached*start the server*")
            .Which.Message.Should().NotContain("s3cret");
    }

    [SkippableFact]
    public void A_database_that_does_not_exist_is_one_line_naming_the_store()
    {
        var url = server.NewDatabase();
        var missing = url[..(url.LastIndexOf('/') + 1)] + "no_such_database";
        FluentActions.Invoking(() => ExperimentStore.Open(missing)).Should().Throw<ConfigurationException>()
            .WithMessage("experiment store postgres://postgres@/*/no_such_database: PostgreSQL refused it (3D000: database \"no_such_database\" does not exist); expected an existing database*");
    }

    [Theory]
    [InlineData("postgres://ada:pw@db.example.org:6543/untangle?sslmode=require", "postgres://ada@db.example.org:6543/untangle")]
    [InlineData("postgresql://db.example.org/untangle", "postgres://db.example.org/untangle")]
    [InlineData("postgres://ada@%2Fvar%2Frun%2Fpostgresql/untangle", "postgres://ada@/var/run/postgresql/untangle")]
    [InlineData("Host=db.example.org;Database=untangle;Username=ada;Password=pw", "postgres://ada@db.example.org/untangle")]
    public void Locations_are_read_as_URLs_or_connection_strings_and_shown_without_passwords(string location, string shown)
    {
        PostgresLocation.Is(location).Should().BeTrue();
        var (connectionString, display) = PostgresLocation.Parse(location);
        display.Should().Be(shown);
        if (location.Contains("pw")) connectionString.Should().Contain("Password=pw");
        if (location.Contains("sslmode")) connectionString.Should().Contain("SSL Mode=Require");
        PostgresLocation.Is("runs/untangle.db").Should().BeFalse();
    }

    [Theory]
    [InlineData("postgres://ada:pw@db.example.org/", "names no database")]
    [InlineData("postgres://ada:pw@db.example.org/untangle?colour=blue", "not a PostgreSQL location")]
    public void A_bad_location_is_one_line_without_its_password(string location, string expected)
    {
        FluentActions.Invoking(() => PostgresLocation.Parse(location)).Should().Throw<ConfigurationException>()
            .WithMessage($"experiment store postgres://ada:***@db.example.org/*{expected}*");
    }

    private static void Execute(System.Data.Common.DbConnection c, string sql)
    {
        using var command = c.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static object? Scalar(System.Data.Common.DbConnection c, string sql)
    {
        using var command = c.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
