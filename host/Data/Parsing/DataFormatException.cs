namespace Untangle.Host.Data.Parsing;

/// <summary>
/// A data file that does not say what its reader expects. The message always has the shape
/// "&lt;file&gt;:&lt;line&gt;: &lt;what was wrong&gt; in '&lt;offending text&gt;'; expected &lt;what&gt;" so a user can
/// open the file at that line; lines are 1-based, and line 1 of a file with a header is the header.
/// </summary>
public sealed class DataFormatException : Exception
{
    /// <summary>Longer lines are cut in the message (the file is still named, so nothing is lost).</summary>
    private const int ShownTextLength = 200;

    public DataFormatException(string file, int line, string problem, string text, string expected)
        : base($"{file}:{line}: {problem} in '{Shorten(text)}'; expected {expected}")
    {
        File = file;
        Line = line;
        Problem = problem;
        Text = text;
        Expected = expected;
    }

    public string File { get; }
    public int Line { get; }
    public string Problem { get; }
    public string Text { get; }
    public string Expected { get; }

    private static string Shorten(string text) =>
        text.Length <= ShownTextLength ? text : text[..ShownTextLength] + "…";
}
