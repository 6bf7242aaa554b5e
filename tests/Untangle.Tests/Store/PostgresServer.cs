using Npgsql;

namespace Untangle.Tests.Store;

/// <summary>
/// A real PostgreSQL server for the store's tests: Debian's postgresql package (initdb, pg_ctl), a
/// fresh cluster in a temporary folder, listening only on a Unix socket in that folder, trust
/// authentication, stopped and removed when the tests end. As root (CI) the server runs as the
/// package's postgres user, since PostgreSQL refuses to run as root. Missing outside CI, the tests
/// that need it are skipped with one line saying so; missing in CI (CI=true), they fail.
/// </summary>
public sealed class PostgresServer : IDisposable
{
    public const string Needs = "the PostgreSQL store tests need Debian's postgresql package (apt-get install postgresql; .ci/run installs it)";
    private readonly string? _bin;
    private readonly string _folder = "";
    private int _databases;

    public PostgresServer()
    {
        _bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(v => Path.Combine(v, "bin")).Where(b => File.Exists(Path.Combine(b, "pg_ctl"))).Order().LastOrDefault()
            : null;
        if (_bin is null || OperatingSystem.IsWindows()) { _bin = null; return; }
        _folder = Directory.CreateTempSubdirectory("untangle-pg-").FullName;
        File.SetUnixFileMode(_folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        if (Environment.UserName == "root") ServiceCommand.Run("/bin/chown", null, "postgres:postgres", _folder);
        Postgres("initdb", "-D", Data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync");
        Postgres("pg_ctl", "-D", Data, "-l", Path.Combine(_folder, "server.log"), "-w", "-t", "60",
            "-o", $"-k {_folder} -c listen_addresses='' -c fsync=off -c max_connections=60", "start");
    }

    private string Data => Path.Combine(_folder, "data");

    /// <summary>Null when the server runs; else the one line the tests skip (or, in CI, fail) with.</summary>
    public string? Missing => _bin is null ? Needs : null;

    /// <summary>Skips the test when there is no server outside CI; fails it in CI.</summary>
    public void Require()
    {
        if (Missing is null) return;
        if (Environment.GetEnvironmentVariable("CI") == "true") throw new InvalidOperationException(Needs);
        Skip.If(true, Needs);
    }

    /// <summary>A new, empty database on the server: its store URL (the socket folder percent-encoded as host).</summary>
    public string NewDatabase()
    {
        Require();
        var name = $"store_{Interlocked.Increment(ref _databases)}_{Guid.NewGuid():N}"[..24];
        using (var connection = new NpgsqlConnection($"Host={_folder};Username=postgres;Database=postgres;Pooling=false"))
        {
            connection.Open();
            using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            command.ExecuteNonQuery();
        }
        return $"postgres://postgres@{Uri.EscapeDataString(_folder)}/{name}";
    }

    /// <summary>A connection to one of <see cref="NewDatabase"/>'s databases, for a test to look at or alter what the store wrote.</summary>
    public NpgsqlConnection Connect(string url)
    {
        var connection = new NpgsqlConnection($"Host={_folder};Username=postgres;Database={url[(url.LastIndexOf('/') + 1)..]};Pooling=false");
        connection.Open();
        return connection;
    }

    public void Dispose()
    {
        if (_bin is null) return;
        NpgsqlConnection.ClearAllPools();
        try
        {
            Postgres("pg_ctl", "-D", Data, "-m", "immediate", "-w", "stop");
        }
        finally
        {
            try { Directory.Delete(_folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    private void Postgres(string tool, params string[] args)
    {
        var path = Path.Combine(_bin!, tool);
        if (Environment.UserName == "root") ServiceCommand.Run("/usr/sbin/runuser", null, ["-u", "postgres", "--", path, .. args]);
        else ServiceCommand.Run(path, null, args);
    }
}
