using Serilog;
using Serilog.Extensions.Logging;
using Untangle.Host.Data.Features;

namespace Untangle.Host.Cli;

/// <summary>
/// `features [EXPERIMENT] [--set key=value]... [--out DIR]`: reads the experiment's data set and writes
/// MMRec-compatible item text features, DIR/text_feat.npy (items × 384, float32, rows in the data set's item
/// order, all-MiniLM-L6-v2 as MMRec), and DIR/item_ids.txt (row r is item id line r) so the rows can be
/// matched to another tool's item numbering. Default DIR: features/&lt;data set name&gt;.
/// </summary>
public static class FeaturesCommand
{
    public static int Execute(CommandLine line)
    {
        using var loggers = new SerilogLoggerFactory(Log.Logger);
        var (file, catalog) = UntangleCommand.LoadPlugins(line, loggers.CreateLogger("Untangle.Plugins"));
        var experiment = RunCommand.Resolve(line, file, catalog);
        var dataset = experiment.Reader.Read(experiment.DatasetPath, experiment.DatasetOptions, loggers.CreateLogger($"Untangle.Data.{experiment.ReaderName}"));
        var folder = Path.GetFullPath(line.Out ?? Path.Combine("features", dataset.Name));
        TextFeatureFolder.Write(dataset, folder, loggers.CreateLogger("Untangle.Features"));
        Console.WriteLine($"features: {folder}");
        return 0;
    }
}
