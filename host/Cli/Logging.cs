using Serilog;
using Serilog.Core;
using Serilog.Events;

namespace Untangle.Host.Cli;

/// <summary>
/// The one place sinks are configured. Logs go to stdout with the results (stderr is kept for the
/// one-line failure message) and, for a run,
/// to DIR/run.log. Events marked <see cref="DetailOnly"/> (an exception's full detail) go to the file
/// only, so a failure prints one line on the terminal.
/// </summary>
public static class Logging
{
    public const string DetailOnly = "DetailOnly";
    private const string Template = "[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj}{NewLine}";

    public static Logger Bootstrap() => Console(new LoggerConfiguration()).CreateLogger();

    public static Logger ForRun(string runFolder)
    {
        Directory.CreateDirectory(runFolder);
        return Console(new LoggerConfiguration())
            .WriteTo.File(Path.Combine(runFolder, "run.log"),
                outputTemplate: "{Timestamp:yyyy-MM-dd HH:mm:ss.fff} [{Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}")
            .CreateLogger();
    }

    private static LoggerConfiguration Console(LoggerConfiguration config) =>
        config.MinimumLevel.Debug()
              .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
              .WriteTo.Logger(lc => lc
                  .MinimumLevel.Information()
                  .Filter.ByExcluding(e => e.Properties.ContainsKey(DetailOnly))
                  .WriteTo.Console(outputTemplate: Template, standardErrorFromLevel: null));
}
