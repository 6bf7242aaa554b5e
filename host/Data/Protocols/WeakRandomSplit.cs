using System.Composition;
using Untangle.Contracts.Components;
using Untangle.Contracts.Data;
using Untangle.Contracts.Settings;

namespace Untangle.Host.Data.Protocols;

/// <summary>
/// Weak generalization with a random per-user split: the same users train and are evaluated; each
/// user's interactions are shuffled and divided into training, validation and test items.
/// <list type="bullet">
/// <item>Filters first: rating_threshold (off by default), then the k-core filter min_interactions
/// (off by default; MMRec and LATTICE use 5). Users and items are re-indexed only when the k-core
/// filter dropped some; the split's maps say how.</item>
/// <item>scheme "mmrec" (default; MMRec / LATTICE): fewer than 10 interactions give 1 validation +
/// 1 test item, otherwise floor(10%) each; see <see cref="PartSizes.Mmrec"/> for users with fewer
/// than 3 interactions.</item>
/// <item>scheme "ratio": train_ratio / valid_ratio / test_ratio with RecBole's rounding
/// (<see cref="PartSizes.Ratio"/>). RecBole's default is 0.8/0.1/0.1. FairMI's "80/20
/// train/test, 10% of the test part used for validation" is 0.8/0.02/0.18.</item>
/// <item>mask_validation (default true): at test time validation items are masked along with the
/// training items. MMRec and MMSSL do not mask them; set it to false to reproduce their numbers.</item>
/// </list>
/// The shuffle draws from one seeded System.Random, users in index order, each user's entries in
/// ascending item order before the shuffle.
/// </summary>
[ExportComponent(ComponentKind.SplitProtocol, "weak-random",
    Description = "Per-user random split of each user's interactions (MMRec/LATTICE rule or RecBole/FairMI ratios).",
    Citation = "Zhou. MMRec: Simplifying Multimodal Recommendation. MMAsia Workshops 2023; " +
               "Zhang et al. Mining Latent Structures for Multimedia Recommendation (LATTICE). ACM MM 2021; " +
               "Zhao et al. RecBole: Towards a Unified, Comprehensive and Efficient Framework for Recommendation Algorithms. CIKM 2021.")]
[Shared]
public sealed class WeakRandomSplit : ISplitProtocol
{
    public const string Mmrec = "mmrec", RatioScheme = "ratio";

    public IReadOnlyList<SettingSpec> Options { get; } =
    [
        SettingSpec.String("scheme", Mmrec, "How many items each user gives to validation and test: 'mmrec' (1+1 below 10 interactions, else 10% + 10%) or 'ratio' (train_ratio/valid_ratio/test_ratio)."),
        WeakSplitOptions.TrainRatio,
        WeakSplitOptions.ValidRatio,
        WeakSplitOptions.TestRatio,
        WeakSplitOptions.MinInteractions,
        WeakSplitOptions.RatingThresholdOption,
        WeakSplitOptions.MaskValidation,
        ProtocolRandomness.SeedOption,
    ];

    public Split Apply(Dataset dataset, SettingValues options, int seed)
    {
        var scheme = options.String("scheme").Trim();
        Func<int, PartSizes> sizes = scheme switch
        {
            Mmrec => PartSizes.Mmrec,
            RatioScheme => Ratio(WeakSplitOptions.Ratios(options)),
            _ => throw new ArgumentException($"protocol.scheme: '{scheme}' is not a known scheme; expected '{Mmrec}' or '{RatioScheme}'."),
        };
        var data = WeakSplitOptions.Filter(dataset, options);
        var random = ProtocolRandomness.Create(options, seed);
        var m = data.Matrix;
        return PerUserPartition.Build("weak-random", data, u =>
        {
            var entries = Enumerable.Range(m.RowStart[u], m.RowLength(u)).ToArray();
            ProtocolRandomness.Shuffle<int>(random, entries);
            return entries;
        }, sizes, options.Bool(WeakSplitOptions.MaskValidation.Name));
    }

    private static Func<int, PartSizes> Ratio((double Train, double Validation, double Test) r) =>
        n => PartSizes.Ratio(n, r.Train, r.Validation, r.Test);
}
