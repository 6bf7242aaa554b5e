using System.Composition;
using Untangle.Contracts.Components;
using Untangle.Contracts.Data;
using Untangle.Contracts.Settings;

namespace Untangle.Host.Data.Protocols;

/// <summary>
/// Weak generalization split by time: each user's interactions are ordered by timestamp (ties by
/// item index); the latest test_ratio are test items, the valid_ratio before them validation items,
/// the earliest the training items (RecBole's "TO" ordering with split_by_ratio; counts rounded as
/// in <see cref="PartSizes.Ratio"/>). Filters and masking as in <see cref="WeakRandomSplit"/>. There
/// is no randomness: the seed is not used.
/// </summary>
[ExportComponent(ComponentKind.SplitProtocol, "weak-temporal",
    Description = "Per-user temporal split: each user's latest interactions are test items, the ones before them validation items.",
    Citation = "Zhao et al. RecBole: Towards a Unified, Comprehensive and Efficient Framework for Recommendation Algorithms. CIKM 2021.")]
[Shared]
public sealed class WeakTemporalSplit : ISplitProtocol
{
    public IReadOnlyList<SettingSpec> Options { get; } =
    [
        WeakSplitOptions.TrainRatio,
        WeakSplitOptions.ValidRatio,
        WeakSplitOptions.TestRatio,
        WeakSplitOptions.MinInteractions,
        WeakSplitOptions.RatingThresholdOption,
        WeakSplitOptions.MaskValidation,
    ];

    public Split Apply(Dataset dataset, SettingValues options, int seed)
    {
        if (dataset.Interactions.Timestamps is null)
            throw new InvalidOperationException(
                $"protocol 'weak-temporal' needs timestamps, but data set '{dataset.Name}' has none; use 'weak-random' or a reader that keeps timestamps.");
        var ratios = WeakSplitOptions.Ratios(options);
        var data = WeakSplitOptions.Filter(dataset, options);
        var m = data.Matrix;
        var times = m.Timestamps!;
        return PerUserPartition.Build("weak-temporal", data, u =>
        {
            // Entries of a row are in ascending item order, so a stable sort by time breaks ties by item.
            var entries = Enumerable.Range(m.RowStart[u], m.RowLength(u)).OrderBy(k => times[k]).ToArray();
            return entries;
        }, n => PartSizes.Ratio(n, ratios.Train, ratios.Validation, ratios.Test), options.Bool(WeakSplitOptions.MaskValidation.Name));
    }
}
