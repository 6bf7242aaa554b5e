using Untangle.Contracts.Data;

namespace Untangle.Host.Data.Protocols;

/// <summary>
/// Binarization by rating (Liang et al. 2018, §4.1: "we binarize the explicit data by keeping
/// ratings of four or higher", implemented in the reference code as rating &gt; 3.5): entries whose
/// rating is above the threshold are kept as positives and the ratings are dropped, so the result is
/// an implicit-feedback matrix (timestamps stay). Data without ratings counts as all positive.
/// </summary>
internal static class RatingThreshold
{
    public static Interactions KeepAbove(Interactions m, double threshold)
    {
        var values = m.Values;
        return values is null
            ? InteractionSubset.Where(m, _ => true, dropValues: true)
            : InteractionSubset.Where(m, k => values[k] > threshold, dropValues: true);
    }
}
