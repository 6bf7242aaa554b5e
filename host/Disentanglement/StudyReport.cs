using System.Net;
using System.Text;

namespace Untangle.Host.Disentanglement;

/// <summary>
/// `report BENCH_FOLDER` for a benchmark with a study: the study's table (study.txt) printed and
/// written to report.md, and report.html with the table and the study's charts, copied beside it.
/// </summary>
internal static class StudyReport
{
    public const string TextFile = "study.txt", JsonFile = "study.json";

    /// <summary>True when <paramref name="path"/> is a bench folder that holds a study.</summary>
    public static bool IsStudyFolder(string path) => Directory.Exists(path) && File.Exists(Path.Combine(path, JsonFile));

    /// <summary>Writes report.md and report.html (with the charts) into <paramref name="outFolder"/>; returns the study text.</summary>
    public static (string Text, int Charts) Write(string benchFolder, string outFolder)
    {
        var textPath = Path.Combine(benchFolder, TextFile);
        if (!File.Exists(textPath))
            throw new FileNotFoundException($"{textPath}: missing; a bench folder with a study has {TextFile} beside {JsonFile}");
        var text = File.ReadAllText(textPath);
        Directory.CreateDirectory(outFolder);
        var charts = Directory.GetFiles(benchFolder, "*.png").Order(StringComparer.Ordinal)
            .OrderBy(f => Path.GetFileName(f) == StudyCharts.CorrelationsFile ? 0 : 1).ToList();
        foreach (var chart in charts)
        {
            var target = Path.Combine(outFolder, Path.GetFileName(chart));
            if (Path.GetFullPath(target) != Path.GetFullPath(chart)) File.Copy(chart, target, overwrite: true);
        }
        Runs.FileWrite.Atomically(Path.Combine(outFolder, "report.md"), "writing", $"# Disentanglement study ({Path.GetFileName(Path.TrimEndingDirectorySeparator(benchFolder))})\n\n```\n{text}```\n");
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Disentanglement study</title>")
            .Append("<style>body{font-family:sans-serif;margin:2em}pre{font-size:12px}img{max-width:100%;display:block;margin:1em 0}</style></head><body>\n")
            .Append("<h1>Disentanglement study</h1>\n<pre>").Append(WebUtility.HtmlEncode(text)).Append("</pre>\n");
        foreach (var chart in charts)
            html.Append($"<img src=\"{WebUtility.HtmlEncode(Path.GetFileName(chart))}\" alt=\"{WebUtility.HtmlEncode(Path.GetFileNameWithoutExtension(chart))}\">\n");
        html.Append("</body></html>\n");
        Runs.FileWrite.Atomically(Path.Combine(outFolder, "report.html"), "writing", html.ToString());
        return (text, charts.Count);
    }
}
