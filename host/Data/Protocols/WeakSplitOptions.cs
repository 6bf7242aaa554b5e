using Untangle.Contracts.Data;
using Untangle.Contracts.Settings;

namespace Untangle.Host.Data.Protocols;

/// <summary>
/// The options the weak-generalization protocols share: filtering before the split, the split
/// ratios and whether validation items are masked at test time.
/// </summary>
internal static class WeakSplitOptions
{
    public static SettingSpec MinInteractions { get; } = SettingSpec.Int(
        "min_interactions", 0,
        "k-core filter applied before splitting: users and items with fewer interactions are dropped, repeatedly, until all have at least k; 0 = off (MMRec uses 5).");
    public static SettingSpec RatingThresholdOption { get; } = SettingSpec.Float(
        "rating_threshold", -1,
        "Keep only interactions rated above this and binarize them (ratings dropped); a negative value keeps everything with its ratings.");
    public static SettingSpec MaskValidation { get; } = SettingSpec.Bool(
        "mask_validation", true,
        "At test time, mask validation items along with training items (MMRec and MMSSL do not: set false to match them).");
    public static SettingSpec TrainRatio { get; } = SettingSpec.Float("train_ratio", 0.8, "Share of each user's interactions used for training (ratios are normalised to sum 1).");
    public static SettingSpec ValidRatio { get; } = SettingSpec.Float("valid_ratio", 0.1, "Share of each user's interactions used for validation.");
    public static SettingSpec TestRatio { get; } = SettingSpec.Float("test_ratio", 0.1, "Share of each user's interactions used for testing.");

    /// <summary>The rating threshold, then the k-core filter.</summary>
    public static FilteredInteractions Filter(Dataset dataset, SettingValues options)
    {
        double threshold = options.Float(RatingThresholdOption.Name);
        var steps = new List<FilterStep>();
        var m = dataset.Interactions;
        if (threshold >= 0)
        {
            m = RatingThreshold.KeepAbove(m, threshold);
            steps.Add(FilterStep.After($"protocol.{RatingThresholdOption.Name} = {threshold.ToString(System.Globalization.CultureInfo.InvariantCulture)}", m));
        }
        int k = options.Int(MinInteractions.Name);
        if (k < 0)
            throw new ArgumentException($"protocol.{MinInteractions.Name}: '{k}' is not valid; expected 0 (off) or a positive k.");
        var filtered = CoreFilter.Apply(m, k);
        if (k > 0) steps.Add(FilterStep.After($"protocol.{MinInteractions.Name} = {k} (k-core)", filtered.Matrix));
        return filtered with { Steps = steps };
    }

    public static (double Train, double Validation, double Test) Ratios(SettingValues options)
    {
        double train = options.Float(TrainRatio.Name), valid = options.Float(ValidRatio.Name), test = options.Float(TestRatio.Name);
        foreach (var (name, value) in new[] { (TrainRatio.Name, train), (ValidRatio.Name, valid), (TestRatio.Name, test) })
            if (value < 0 || double.IsNaN(value))
                throw new ArgumentException($"protocol.{name}: '{value}' is not valid; expected a number >= 0.");
        if (train <= 0)
            throw new ArgumentException($"protocol.{TrainRatio.Name}: '{train}' is not valid; expected a number > 0 (users need training items).");
        return (train, valid, test);
    }
}
