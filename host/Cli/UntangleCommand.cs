using Serilog;
using Untangle.Contracts.Data;
using Untangle.Host.Composition;
using Untangle.Host.Plugins;
using Untangle.Host.Training;

namespace Untangle.Host.Cli;

/// <summary>
/// Entry point: parses the verb, runs it, and turns failures into one line on stderr and an exit
/// code (1: the run or its configuration failed; 2: the command line was malformed). The full
/// detail of an unexpected failure goes to the run's log file.
/// </summary>
public static class UntangleCommand
{
    public static int Run(string[] args)
    {
        CommandLine line;
        try
        {
            line = CommandLine.Parse(args);
        }
        catch (UsageException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            Console.Error.WriteLine(CommandLine.Usage);
            return 2;
        }

        Log.Logger = Logging.Bootstrap();
        try
        {
            return line.Verb switch
            {
                "help" => Help(),
                "plugins" => PluginsCommand.Execute(line),
                "run" => RunCommand.Execute(line),
                "bench" => BenchCommand.Execute(line),
                "sweep" => SweepCommand.Execute(line),
                "task" => TaskCommand.Execute(line),
                "show" => ShowCommand.Execute(line),
                "serve" => ServeCommand.Execute(line),
                "runs" => RunsCommand.Execute(line),
                "report" => ReportCommand.Execute(line),
                "features" => FeaturesCommand.Execute(line),
                "steer" => SteerCommand.Execute(line),
                _ => throw new UsageException($"unknown verb '{line.Verb}'; verbs: run, serve, runs, report, bench, sweep, task, steer, plugins, show, features, help"),
            };
        }
        catch (UsageException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            Console.Error.WriteLine(CommandLine.Usage);
            return 2;
        }
        catch (Exception e)
        {
            Log.ForContext(Logging.DetailOnly, true).Fatal(e, "run failed");
            Console.Error.WriteLine($"error: {Describe(e)}");
            return 1;
        }
        finally
        {
            Log.CloseAndFlush();
        }
    }

    /// <summary>The one line a user reads: the message of what went wrong, without stack or wrapper noise.</summary>
    public static string Describe(Exception e) => Runs.FailureMessage.Describe(e);

    private static int Help()
    {
        Console.WriteLine(CommandLine.Usage);
        return 0;
    }

    /// <summary>Loads plugins.json and the plugins it names.</summary>
    internal static (PluginsFile File, ComponentCatalog Catalog) LoadPlugins(CommandLine line, Microsoft.Extensions.Logging.ILogger logger)
    {
        var file = PluginsFile.Load(PluginsFile.Locate(line.PluginsFile));
        var roots = new[] { AppContext.BaseDirectory, file.Directory };
        var catalog = new PluginLoader(logger).Load(PluginFolder.All(file.Plugins, line.PluginDirs), roots);
        return (file, catalog);
    }
}
