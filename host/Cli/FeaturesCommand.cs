using System.Diagnostics;
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
        var texts = ItemTextEmbedding.Texts(dataset);

        var folder = Path.GetFullPath(line.Out ?? Path.Combine("features", dataset.Name));
        Directory.CreateDirectory(folder);
        Log.Information("encoding {Count} item texts of {Dataset} with all-MiniLM-L6-v2, e.g. \"{Example}\"", texts.Length, dataset.Name, texts.FirstOrDefault());
        var clock = Stopwatch.StartNew();
        var matrix = ItemTextEmbedding.Encode(texts, progress: done =>
        {
            if (done % 640 == 0 || done == texts.Length) Log.Information("{Done}/{Total} items", done, texts.Length);
        });
        var npy = Path.Combine(folder, "text_feat.npy");
        NpyFile.Write(npy, matrix);
        File.WriteAllLines(Path.Combine(folder, "item_ids.txt"), dataset.ItemIds);
        Log.Information("wrote {File} ({Rows} x {Columns}) in {Seconds:F1}s", npy, matrix.Rows, matrix.Columns, clock.Elapsed.TotalSeconds);
        Console.WriteLine($"features: {folder}");
        return 0;
    }
}
