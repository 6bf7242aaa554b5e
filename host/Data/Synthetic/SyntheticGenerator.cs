using Untangle.Contracts.Data;

namespace Untangle.Host.Data.Synthetic;

/// <summary>
/// Generates a recommendation data set from a known intent model (see <see cref="SyntheticReader"/>
/// for the model). Each stage draws from its own seeded stream (seed and stage number), so changing,
/// say, the modality sizes leaves the interactions unchanged: 1 items, 2 users, 3 interactions,
/// 4 user attribute, 5 modality features.
/// </summary>
internal static class SyntheticGenerator
{
    /// <summary>Timestamp of every user's first interaction (2023-11-14); later ones follow a day apart.</summary>
    private const long FirstTimestamp = 1_700_000_000, TimestampStep = 86_400;

    public static Dataset Generate(SyntheticParameters p)
    {
        // 1. Items: a balanced category assignment, Zipf popularity, factors f_i ~ N(0, I/d) so that
        //    <pref, f_i> with pref ~ N(0, I) has unit variance whatever d is.
        var items = Stage(p, 1);
        var categories = BalancedCategories(items, p.Items, p.Intents);
        var popularity = ZipfPopularity(items, p.Items);
        var itemFactors = Rows(p.Items, () => items.NormalVector(p.FactorDim, 1.0 / Math.Sqrt(p.FactorDim)));

        // 2. Users: mixture over intents and one preference vector per intent (UserFactorRegime).
        var (mixtures, preferences, userFactors) = UserFactorRegime.Draw(Stage(p, 2), p);
        var dominant = mixtures.Select(ArgMax).ToArray();

        // 4. (drawn before the modalities so it is independent of their sizes)
        var (group, follows) = GroupAttribute(Stage(p, 4), dominant, p.AttributeCorrelation);
        var modalities = ModalityFeatures.Generate(Stage(p, 5), p, categories, itemFactors);

        var truth = new SyntheticTruth
        {
            Parameters = p,
            UserMixtures = mixtures,
            UserPreferences = preferences,
            DominantIntents = dominant,
            AttributeFollowsIntent = follows,
            ItemCategories = categories,
            ItemFactors = itemFactors,
            ItemPopularity = popularity,
            CategoryEmbeddings = modalities.CategoryEmbeddings,
            SharedProjection = modalities.Projection,
            SharedFactors = modalities.Shared,
            Image = modalities.Image,
            Text = modalities.Text,
        };

        var intentNames = Enumerable.Range(0, p.Intents).Select(k => $"intent{k}").ToArray();
        return new Dataset
        {
            Name = "synthetic",
            UserIds = Enumerable.Range(0, p.Users).Select(u => $"u{u}").ToArray(),
            ItemIds = Enumerable.Range(0, p.Items).Select(i => $"i{i}").ToArray(),
            Interactions = SampleInteractions(Stage(p, 3), p, truth),
            UserAttributes = new Dictionary<string, CategoricalAttribute>
            {
                ["group"] = new("group", ["group0", "group1"], group),
            },
            SensitiveAttribute = "group",
            ItemCategories = new ItemCategories(intentNames, categories.Select(c => new[] { c }).ToArray()),
            ItemText = categories.Select((c, i) => $"Synthetic item i{i}, category {intentNames[c]}.").ToArray(),
            ItemFeatures = new Dictionary<string, FeatureMatrix>
            {
                ["image"] = modalities.ImageFeatures,
                ["text"] = modalities.TextFeatures,
            },
            Extras = new Dictionary<string, object>
            {
                [SyntheticTruth.ExtrasKey] = truth,
                [UserFactorTruth.ExtrasKey] = userFactors,
                // The factors behind the modality features, in the contracts' type so plugins can read them.
                [ItemFactorTruth.ExtrasKey] = new ItemFactorTruth(truth.SharedFactors, new Dictionary<string, double[][]>
                {
                    ["image"] = truth.Image.SpecificFactors,
                    ["text"] = truth.Text.SpecificFactors,
                }),
            },
        };
    }

    private static RandomDraws Stage(SyntheticParameters p, int stage) => new(unchecked(p.Seed * 1_000_003 + stage));

    /// <summary>Round-robin categories (item j of a random order gets j mod K), so sizes differ by at most one but the category is not readable from the item index.</summary>
    private static int[] BalancedCategories(RandomDraws draws, int items, int intents)
    {
        var order = Enumerable.Range(0, items).ToArray();
        draws.Shuffle<int>(order);
        var categories = new int[items];
        for (int j = 0; j < items; j++) categories[order[j]] = j % intents;
        return categories;
    }

    /// <summary>popularity_i = 1 / rank_i with ranks 1..I in random order (Zipf with exponent 1; pop_exponent softens it when sampling).</summary>
    private static double[] ZipfPopularity(RandomDraws draws, int items)
    {
        var rank = Enumerable.Range(1, items).ToArray();
        draws.Shuffle<int>(rank);
        return rank.Select(r => 1.0 / r).ToArray();
    }

    /// <summary>
    /// group = dominant intent mod 2 (even → group0, odd → group1) with probability
    /// attribute_correlation, else a fair coin. With K = 1 every user's rule gives group0.
    /// </summary>
    private static (int[] Codes, bool[] Follows) GroupAttribute(RandomDraws draws, int[] dominant, double correlation)
    {
        var codes = new int[dominant.Length];
        var follows = new bool[dominant.Length];
        for (int u = 0; u < dominant.Length; u++)
        {
            follows[u] = draws.Coin(correlation);
            codes[u] = follows[u] ? dominant[u] % 2 : draws.Next(2);
        }
        return (codes, follows);
    }

    /// <summary>
    /// Each user draws n = min(5 + Geometric(mean_interactions − 5), items / 2) distinct items from
    /// p(i|u) (<see cref="SyntheticTruth.LogItemWeights"/>) without replacement, one after another, each
    /// in proportion to the remaining weights: by Efraimidis–Spirakis keys log w_i − log E_i with
    /// E_i ~ Exp(1) over every item (the n largest keys), or by <see cref="IntentRejectionSampler"/>,
    /// which bounds buckets of 16 items instead (dataset.sampler). The chosen items get timestamps in a
    /// random order, a day apart, so time carries no preference signal; every value is 1.
    /// </summary>
    private static Interactions SampleInteractions(RandomDraws draws, SyntheticParameters p, SyntheticTruth truth)
    {
        var builder = new InteractionsBuilder(p.Users, p.Items);
        int cap = p.Items / 2;
        Func<int, int, int[]> draw;
        if (p.ResolvedSampler == SyntheticParameters.RejectionSampler)
        {
            var sampler = new IntentRejectionSampler(truth);
            draw = (u, n) => sampler.Draw(u, n, draws);
        }
        else draw = KeysDraw(draws, p, truth);
        for (int u = 0; u < p.Users; u++)
        {
            int n = Math.Min(SyntheticParameters.MinInteractions + draws.Geometric(p.MeanInteractions - SyntheticParameters.MinInteractions), cap);
            var chosen = draw(u, n);
            draws.Shuffle<int>(chosen);
            for (int j = 0; j < n; j++)
                builder.Add(u, chosen[j], 1f, FirstTimestamp + TimestampStep * j);
        }
        return builder.Build();
    }

    /// <summary>The n largest Efraimidis–Spirakis keys log w_i − log E_i over every item (cost: items per user).</summary>
    private static Func<int, int, int[]> KeysDraw(RandomDraws draws, SyntheticParameters p, SyntheticTruth truth)
    {
        var keys = new double[p.Items];
        var order = new int[p.Items];
        return (u, n) =>
        {
            var logWeights = truth.LogItemWeights(u);
            for (int i = 0; i < p.Items; i++)
            {
                keys[i] = logWeights[i] - Math.Log(-Math.Log(draws.UniformPositive()) + double.Epsilon);
                order[i] = i;
            }
            // Largest keys first; ties (practically impossible) by item index, so the order is total.
            Array.Sort(order, (a, b) => keys[a] != keys[b] ? keys[b].CompareTo(keys[a]) : a.CompareTo(b));
            return order[..n];
        };
    }

    internal static double[][] Rows(int count, Func<double[]> row)
    {
        var rows = new double[count][];
        for (int i = 0; i < count; i++) rows[i] = row();
        return rows;
    }

    private static int ArgMax(double[] v)
    {
        int best = 0;
        for (int i = 1; i < v.Length; i++) if (v[i] > v[best]) best = i;
        return best;
    }
}
