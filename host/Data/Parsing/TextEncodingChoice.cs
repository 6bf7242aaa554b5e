namespace Untangle.Host.Data.Parsing;

/// <summary>How a data file's bytes become text.</summary>
public enum TextEncodingChoice
{
    /// <summary>Strict UTF-8: an invalid byte sequence is a format error, never a replacement character.</summary>
    Utf8,
    /// <summary>ISO-8859-1, as MovieLens 100K's u.item and MovieLens 1M's .dat files are written.</summary>
    Latin1,
    /// <summary>
    /// Strict UTF-8 when the whole file is valid UTF-8, otherwise latin-1 (decided per file, before the
    /// first line is read). MovieLens 1M is latin-1 and 10M is UTF-8 under the same file names.
    /// </summary>
    Utf8OrLatin1,
}
