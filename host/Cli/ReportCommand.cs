using System.Globalization;
using Untangle.Host.Disentanglement;
using Untangle.Host.Reports;
using Untangle.Host.Store;

namespace Untangle.Host.Cli;

/// <summary>
/// `report RUN... [--store FILE] [--out DIR]`: compares runs from the experiment store (ids or unique
/// id prefixes) as a Markdown table, printed and written to DIR/report.md, and as DIR/report.html
/// with the training curves as PNG images beside it. `report BENCH_FOLDER` for a benchmark with a
/// study shows the study instead (<see cref="StudyReport"/>).
/// </summary>
public static class ReportCommand
{
    public static int Execute(CommandLine line)
    {
        if (line.Positional.Count == 0) throw new UsageException("report takes one or more run ids (see `runs`) or a bench folder with a study");
        if (line.Positional.Count == 1 && StudyReport.IsStudyFolder(line.Positional[0]))
        {
            var studyOut = Path.GetFullPath(line.Out ?? line.Positional[0]);
            Runs.OutputFolder.Ensure(studyOut, "--out", "the report");
            var (text, count) = StudyReport.Write(line.Positional[0], studyOut);
            Console.WriteLine(text);
            Console.WriteLine($"report: {Path.Combine(studyOut, "report.html")} ({count} charts)");
            return 0;
        }
        using var store = ExperimentStore.Open(line.Store ?? CommandLine.DefaultStore);
        var runs = line.Positional.Select(id => ReportedRun.Load(store, store.Resolve(id))).ToList();
        var comparison = new RunComparison(runs);
        var folder = Path.GetFullPath(line.Out ?? Path.Combine("runs", "reports", DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)));
        Runs.OutputFolder.Ensure(folder, line.Out is null ? "the report folder" : "--out", "the report");

        var markdown = MarkdownReport.Render(comparison);
        Runs.FileWrite.Atomically(Path.Combine(folder, "report.md"), "writing", markdown);
        var charts = TrainingCurves.Render(comparison, folder);
        Runs.FileWrite.Atomically(Path.Combine(folder, "report.html"), "writing", HtmlReport.Render(comparison, charts));

        Console.WriteLine(markdown);
        Console.WriteLine($"report: {Path.Combine(folder, "report.html")} ({charts.Count} charts)");
        return 0;
    }
}
