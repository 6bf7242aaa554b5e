using System.Composition;
using Untangle.Contracts.Components;
using Untangle.Contracts.Data;
using Untangle.Contracts.Settings;

namespace Untangle.Host.Data.Protocols;

/// <summary>
/// Strong generalization (Liang et al. 2018 §4.1; Ma et al. 2019 §4): validation and test users are
/// held out, and the model never trains on them. Steps, as in specs/protocols-and-metrics.md:
/// <list type="number">
/// <item>Binarize: keep ratings &gt; rating_threshold (3.5, i.e. &gt;= 4 stars); data without ratings
/// counts as all kept. The split's matrices carry no ratings.</item>
/// <item>Keep users with &gt;= min_ratings (5) kept ratings; no item filter.</item>
/// <item>Shuffle the kept users (ascending data-set index before the shuffle) with the seed; the last
/// N = heldout_users are test users, the N before them validation users, the rest training users.
/// Training users keep the shuffled order as their split indices, as in the reference code.</item>
/// <item>The item set is the training users' items in order of first appearance, iterating the
/// training users in their shuffled order and each user's items in ascending data-set item index.
/// Held-out users' interactions with other items are dropped.</item>
/// <item>A held-out user with &gt;= 5 remaining items gets int(0.2 n) random target items (chosen among
/// the user's items listed in ascending split item index); the rest are fold-in (Known). Fewer than 5
/// remaining items: all are fold-in, no targets. A held-out user with no remaining items stays in the
/// set with empty rows.</item>
/// </list>
/// Every draw comes from one seeded System.Random: the user shuffle first, then the target choices of
/// the validation users in set order, then of the test users. The reference code uses numpy's
/// generator (seed 98765), so the split has the same shape but not the same members.
/// </summary>
[ExportComponent(ComponentKind.SplitProtocol, "strong",
    Description = "Strong generalization: held-out validation and test users, 80/20 fold-in/targets (MultVAE, MacridVAE).",
    Citation = "Liang, Krishnan, Hoffman, Jebara. Variational Autoencoders for Collaborative Filtering. WWW 2018; " +
               "Ma, Zhou, Cui, Yang, Zhu. Learning Disentangled Representations for Recommendation. NeurIPS 2019.")]
[Shared]
public sealed class StrongGeneralization : ISplitProtocol
{
    /// <summary>Its test and validation users are held out of training.</summary>
    public bool HoldsOutUsers(SettingValues options) => true;

    /// <summary>Held-out users need at least this many remaining items to get targets (spec step 5).</summary>
    public const int MinItemsForTargets = 5;
    /// <summary>Share of a held-out user's items that become targets, rounded down (spec step 5).</summary>
    public const double TargetShare = 0.2;

    public IReadOnlyList<SettingSpec> Options { get; } =
    [
        SettingSpec.Float("rating_threshold", 3.5, "Keep ratings above this (binarization); data without ratings keeps everything."),
        SettingSpec.Int("min_ratings", 5, "Keep users with at least this many kept ratings."),
        SettingSpec.Int("heldout_users", 50, "N validation users and N test users (50 for ML-100K, 500 for ML-1M, 10000 for ML-20M, 40000 for Netflix)."),
        ProtocolRandomness.SeedOption,
    ];

    public Split Apply(Dataset dataset, SettingValues options, int seed)
    {
        int n = options.Int("heldout_users");
        if (n < 1) throw new ArgumentException($"protocol.heldout_users: '{n}' is not valid; expected a positive number of users.");
        double threshold = options.Float("rating_threshold");
        int minRatings = options.Int("min_ratings");

        var kept = RatingThreshold.KeepAbove(dataset.Interactions, threshold);
        var users = Enumerable.Range(0, kept.Rows).Where(u => kept.RowLength(u) >= minRatings).ToArray();
        if (users.Length <= 2 * n)
            throw new ArgumentException(
                $"protocol.heldout_users = {n} holds out {2 * n} users, but data set '{dataset.Name}' ({dataset.Source ?? "generated"}) has only {users.Length} users " +
                $"with >= {minRatings} ratings above {threshold} ({FilterStep.After("read", dataset.Interactions)}; " +
                $"{string.Join("; ", Steps(kept, users, threshold, minRatings))}); at least {2 * n + 1} are needed (one or more must train). " +
                "Lower protocol.heldout_users, protocol.min_ratings or protocol.rating_threshold.");

        var random = ProtocolRandomness.Create(options, seed);
        ProtocolRandomness.Shuffle<int>(random, users);
        var trainUsers = users[..^(2 * n)];
        var validationUsers = users[^(2 * n)..^n];
        var testUsers = users[^n..];

        // Item set: first appearance over the training users (shuffled order), items ascending.
        var itemMap = Enumerable.Repeat(-1, kept.ColumnCount).ToArray();
        var items = new List<int>();
        foreach (var u in trainUsers)
            foreach (var i in kept.Row(u))
                if (itemMap[i] < 0) { itemMap[i] = items.Count; items.Add(i); }

        return new Split
        {
            Protocol = "strong",
            Train = InteractionSubset.Reindex(kept, trainUsers, itemMap, items.Count),
            Validation = HeldOut("validation", kept, validationUsers, itemMap, items.Count, random),
            Test = HeldOut("test", kept, testUsers, itemMap, items.Count, random),
            UserToDataset = trainUsers,
            ItemToDataset = items.ToArray(),
            HeldOutUsers = true,
            Filters = Steps(kept, users, threshold, minRatings),
        };
    }

    private static IReadOnlyList<FilterStep> Steps(Interactions kept, int[] users, double threshold, int minRatings) =>
    [
        FilterStep.After($"protocol.rating_threshold = {threshold.ToString(System.Globalization.CultureInfo.InvariantCulture)}", kept),
        FilterStep.After($"protocol.min_ratings = {minRatings}", kept, users),
    ];

    /// <summary>Fold-in (Known) and targets for held-out users, in the split's item space.</summary>
    private static EvaluationSet HeldOut(string name, Interactions kept, int[] users, int[] itemMap, int itemCount, Random random)
    {
        var rows = InteractionSubset.Reindex(kept, users, itemMap, itemCount);
        var isTarget = new bool[rows.Count];
        for (int r = 0; r < rows.Rows; r++)
        {
            int count = rows.RowLength(r);
            if (count < MinItemsForTargets) continue;
            var chosen = ProtocolRandomness.ChooseSubset(random, count, (int)(TargetShare * count));
            for (int j = 0; j < count; j++) isTarget[rows.RowStart[r] + j] = chosen[j];
        }
        return new EvaluationSet
        {
            Name = name,
            Users = Enumerable.Repeat(-1, users.Length).ToArray(),
            DatasetUsers = users,
            Known = InteractionSubset.Where(rows, k => !isTarget[k]),
            Targets = InteractionSubset.Where(rows, k => isTarget[k]),
        };
    }
}
