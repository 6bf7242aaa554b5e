using Microsoft.Extensions.Configuration;
using Serilog;
using Serilog.Core;
using Serilog.Events;

namespace Untangle.Host.Cli;

/// <summary>
/// The one place sinks are configured. The command line's verbs log to stdout with the results
/// (stderr is kept for the one-line failure message) and, for a run, to DIR/run.log. `serve` takes
/// its sinks from configuration (appsettings.json beside the host: console, rolling file, compact
/// JSON; see README) and adds each run's DIR/run.log. Events marked <see cref="DetailOnly"/> (an
/// exception's full detail) stay off the command line's console, so a failure prints one line there.
/// </summary>
public static class Logging
{
    public const string DetailOnly = "DetailOnly";
    private const string Template = "[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj}{NewLine}";
    private const string FileTemplate = "{Timestamp:yyyy-MM-dd HH:mm:ss.fff} [{Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}";

    /// <summary>
    /// The logger until a verb configures its own: console only. It is Serilog's reloadable bootstrap
    /// logger, which `serve` freezes into the logger its configuration describes.
    /// </summary>
    public static ILogger Bootstrap() => Console(new LoggerConfiguration(), null).CreateBootstrapLogger();

    /// <param name="console">Lets a progress bar quieten the console while it is drawn (the file keeps everything).</param>
    public static Logger ForRun(string runFolder, LoggingLevelSwitch? console = null)
    {
        Directory.CreateDirectory(runFolder);
        return Console(new LoggerConfiguration(), console)
            .WriteTo.File(Path.Combine(runFolder, "run.log"), outputTemplate: FileTemplate)
            .CreateLogger();
    }

    /// <summary>`serve`: sinks, levels and enrichers from the "Serilog" section of <paramref name="configuration"/>.</summary>
    public static LoggerConfiguration FromConfiguration(LoggerConfiguration config, IConfiguration configuration) =>
        config.ReadFrom.Configuration(configuration).Enrich.FromLogContext();

    /// <summary>
    /// A run under `serve`: everything goes to <paramref name="parent"/> (serve's sinks) with the run's
    /// id and experiment as properties, and to the run's own DIR/run.log.
    /// </summary>
    public static Logger ForServedRun(ILogger parent, string runFolder, string runId, string experiment)
    {
        Directory.CreateDirectory(runFolder);
        return new LoggerConfiguration()
            .MinimumLevel.Debug()
            .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
            .Enrich.WithProperty("RunId", runId)
            .Enrich.WithProperty("Experiment", experiment)
            .WriteTo.Logger(parent)
            .WriteTo.File(Path.Combine(runFolder, "run.log"), outputTemplate: FileTemplate)
            .CreateLogger();
    }

    /// <summary>
    /// A verb whose standard output is its result (steer): log lines go to standard error, so
    /// `steer ... --json | jq` reads JSON only.
    /// </summary>
    public static Logger ToStandardError() =>
        new LoggerConfiguration().MinimumLevel.Debug()
            .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
            .WriteTo.Logger(lc => lc
                .MinimumLevel.Information()
                .Filter.ByExcluding(e => e.Properties.ContainsKey(DetailOnly))
                .WriteTo.Console(outputTemplate: Template, standardErrorFromLevel: LogEventLevel.Verbose))
            .CreateLogger();

    private static LoggerConfiguration Console(LoggerConfiguration config, LoggingLevelSwitch? console) =>
        config.MinimumLevel.Debug()
              .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
              .WriteTo.Logger(lc => lc
                  .MinimumLevel.ControlledBy(console ?? new LoggingLevelSwitch(LogEventLevel.Information))
                  .Filter.ByExcluding(e => e.Properties.ContainsKey(DetailOnly))
                  .WriteTo.Console(outputTemplate: Template, standardErrorFromLevel: null));
}
