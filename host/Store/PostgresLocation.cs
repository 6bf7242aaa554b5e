using Npgsql;
using Untangle.Host.Composition;

namespace Untangle.Host.Store;

/// <summary>
/// Where a PostgreSQL store is: a URL <c>postgres://[user[:password]@]host[:port]/database[?key=value&amp;...]</c>
/// (the form libpq and most tools read; a host starting with "/" or "%2F" is a Unix socket folder) or an
/// Npgsql connection string (<c>Host=...;Database=...</c>). What is not given comes from the usual
/// PG* environment variables (PGPASSWORD, PGUSER, ...), which Npgsql reads, so no password has to
/// be written on a command line or in a job script.
/// </summary>
public static class PostgresLocation
{
    public static bool Is(string location) =>
        location.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase)
        || location.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase)
        || location.StartsWith("Host=", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// A store location as every process that opens it later should read it: a PostgreSQL location as
    /// written, a SQLite file made absolute (serve's runs, array tasks and resumes start elsewhere).
    /// </summary>
    public static string Settled(string location) => Is(location) ? location : Path.GetFullPath(location);

    /// <summary>The connection string, and the location as shown in messages and listings (never with its password).</summary>
    public static (string ConnectionString, string Shown) Parse(string location)
    {
        var builder = new NpgsqlConnectionStringBuilder();
        try
        {
            if (location.StartsWith("Host=", StringComparison.OrdinalIgnoreCase))
                builder.ConnectionString = location;
            else
                FromUrl(location, builder);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or KeyNotFoundException)
        {
            throw new ConfigurationException(
                $"experiment store {Hidden(location)}: not a PostgreSQL location ({e.Message.TrimEnd('.')}); expected postgres://user@host:5432/database or Host=...;Database=...");
        }
        if (string.IsNullOrEmpty(builder.Database))
            throw new ConfigurationException($"experiment store {Hidden(location)}: names no database; expected postgres://user@host:5432/database");
        builder.ApplicationName ??= "untangle";
        var user = builder.Username is { Length: > 0 } u ? $"{u}@" : "";
        var port = builder.Port == NpgsqlConnection.DefaultPort ? "" : $":{builder.Port}";
        return (builder.ConnectionString, $"postgres://{user}{builder.Host}{port}/{builder.Database}");
    }

    /// <summary>
    /// Reads the URL by hand rather than with <see cref="Uri"/>, which cannot hold a percent-encoded
    /// socket folder as its host (postgres://user@%2Fvar%2Frun%2Fpostgresql/db, libpq's spelling).
    /// </summary>
    private static void FromUrl(string location, NpgsqlConnectionStringBuilder builder)
    {
        var rest = location[(location.IndexOf("://", StringComparison.Ordinal) + 3)..];
        var query = "";
        if (rest.IndexOf('?') is var q and >= 0) (rest, query) = (rest[..q], rest[(q + 1)..]);
        var database = "";
        if (rest.IndexOf('/') is var slash and >= 0) (rest, database) = (rest[..slash], rest[(slash + 1)..]);
        if (rest.LastIndexOf('@') is var at and >= 0)
        {
            var user = rest[..at].Split(':', 2);
            builder.Username = Uri.UnescapeDataString(user[0]);
            if (user.Length == 2) builder.Password = Uri.UnescapeDataString(user[1]);
            rest = rest[(at + 1)..];
        }
        // host[:port]; an IPv6 host is bracketed ([::1]:5432).
        var colon = rest.StartsWith('[') ? rest.IndexOf("]:", StringComparison.Ordinal) + 1 : rest.LastIndexOf(':');
        if (colon > 0)
        {
            var port = rest[(colon + 1)..];
            builder.Port = int.TryParse(port, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var p) && p is > 0 and < 65536
                ? p : throw new FormatException($"port '{port}' is not a number from 1 to 65535");
            rest = rest[..colon];
        }
        builder.Host = rest.Length == 0 ? "localhost" : Uri.UnescapeDataString(rest.Trim('[', ']'));
        builder.Database = Uri.UnescapeDataString(database);
        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var kv = pair.Split('=', 2);
            // libpq's names where they differ from Npgsql's.
            var key = Uri.UnescapeDataString(kv[0]) switch { "sslmode" => "SSL Mode", "connect_timeout" => "Timeout", "application_name" => "Application Name", var k => k };
            builder[key] = kv.Length == 2 ? Uri.UnescapeDataString(kv[1]) : "";
        }
    }

    /// <summary>The location with any password replaced, for an error message.</summary>
    private static string Hidden(string location) =>
        System.Text.RegularExpressions.Regex.Replace(location, @"(://[^:/@]*:)[^@]*@|(?i)(password=)[^;]*", m => m.Groups[1].Success ? m.Groups[1].Value + "***@" : m.Groups[2].Value + "***");
}
