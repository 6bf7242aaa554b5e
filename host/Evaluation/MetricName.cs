using System.Globalization;

namespace Untangle.Host.Evaluation;

/// <summary>
/// A metric as experiments name it: "&lt;name&gt;@K", e.g. "ndcg@100" or "recall_capped@20" (the
/// issue's eval.metrics and eval.validation_metric keys, and the keys of metrics.json).
/// </summary>
public sealed record MetricName(string Name, int K)
{
    private const string ExpectedForm = "the form name@K with K a positive integer, e.g. ndcg@100";

    /// <summary>Parses "name@K"; a missing or non-positive K, or an empty name, is a <see cref="FormatException"/> naming the text.</summary>
    public static MetricName Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        int at = trimmed.IndexOf('@');
        if (at < 0)
            throw new FormatException($"metric \"{text}\" has no cutoff K: expected {ExpectedForm}");
        var name = trimmed[..at].Trim();
        var kText = trimmed[(at + 1)..].Trim();
        if (name.Length == 0)
            throw new FormatException($"metric \"{text}\" has no name before '@': expected {ExpectedForm}");
        if (!int.TryParse(kText, NumberStyles.None, CultureInfo.InvariantCulture, out int k))
            throw new FormatException($"metric \"{text}\" has cutoff \"{kText}\", which is not a whole number: expected {ExpectedForm}");
        if (k <= 0)
            throw new FormatException($"metric \"{text}\" has cutoff {k}: expected {ExpectedForm}");
        return new MetricName(name, k);
    }

    /// <summary>The canonical spelling, "name@K", as printed in tables and metrics.json.</summary>
    public override string ToString() => $"{Name}@{K}";
}
