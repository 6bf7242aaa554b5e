using Microsoft.Extensions.Logging.Abstractions;
using Untangle.Contracts.Analysis;
using Untangle.Contracts.Data;
using Untangle.Contracts.Settings;
using Untangle.Host.Data.Synthetic;

namespace Untangle.Tests.Data.Synthetic;

/// <summary>
/// The user factors the disentanglement lab scores against: the independent regime's factors are
/// drawn on their own (near-zero correlations, every level used), its mixture is the softmax of the
/// strengths, and the Dirichlet regime reports its mixture and preferences with quantile levels.
/// </summary>
public class UserFactorTests
{
    private static readonly SyntheticReader Reader = new();

    private static Dataset Read(params (string Key, string Value)[] options) =>
        Reader.Read(null, SettingValues.Resolve("dataset", Reader.Options, options.ToDictionary(o => o.Key, o => o.Value)), NullLogger.Instance);

    [Fact]
    public void Independent_factors_are_uncorrelated_on_their_grid_and_drive_the_mixture()
    {
        var data = Read(("users", "2000"), ("items", "100"), ("intents", "3"), ("factor_dim", "2"), ("user_factors", "independent"), ("factor_levels", "5"));
        var truth = UserFactorTruth.Of(data)!;
        var synthetic = (SyntheticTruth)data.Extras[SyntheticTruth.ExtrasKey];

        truth.Independent.Should().BeTrue();
        truth.Names.Should().Equal("strength:intent0", "strength:intent1", "strength:intent2",
            "preference:intent0:0", "preference:intent0:1", "preference:intent1:0", "preference:intent1:1", "preference:intent2:0", "preference:intent2:1");
        truth.LevelCounts.Should().OnlyContain(l => l == 5);
        for (int f = 0; f < truth.FactorCount; f++)
        {
            truth.Levels.Select(l => l[f]).Distinct().Should().HaveCount(5, $"every level of {truth.Names[f]} is drawn");
            for (int g = f + 1; g < truth.FactorCount; g++)
                Math.Abs(Correlation.Pearson(truth.Values.Select(v => v[f]).ToArray(), truth.Values.Select(v => v[g]).ToArray()))
                    .Should().BeLessThan(0.1, $"{truth.Names[f]} and {truth.Names[g]} are drawn independently");
        }
        for (int u = 0; u < 50; u++)
        {
            // strength = 2 (2(l + 1/2)/L − 1) for the default strength_scale 2; the mixture is its softmax.
            var s = truth.Values[u][..3];
            truth.Levels[u][0].Should().Be((int)Math.Round(((s[0] / 2 + 1) * 5 - 1) / 2));
            var softmax = s.Select(Math.Exp).ToArray();
            synthetic.UserMixtures[u].Should().BeEquivalentTo(softmax.Select(x => x / softmax.Sum()), o => o.Using<double>(c => c.Subject.Should().BeApproximately(c.Expectation, 1e-12)).WhenTypeIs<double>());
            synthetic.UserPreferences[u][1][0].Should().Be(truth.Values[u][5]);
        }
    }

    [Fact]
    public void A_stronger_intent_gives_the_user_more_items_of_its_category()
    {
        var data = Read(("users", "1500"), ("items", "150"), ("intents", "3"), ("user_factors", "independent"));
        var truth = UserFactorTruth.Of(data)!;
        var categories = data.ItemCategories!.Of;
        var share = Enumerable.Range(0, data.UserCount).Select(u =>
        {
            var row = data.Interactions.Row(u).ToArray();
            return row.Count(i => categories[i][0] == 0) / (double)row.Length;
        }).ToArray();
        Correlation.Pearson(truth.Values.Select(v => v[0]).ToArray(), share).Should().BeGreaterThan(0.5, "the strength of intent 0 sets its share of the history");
    }

    [Fact]
    public void The_dirichlet_regime_reports_mixture_and_preferences_with_quantile_levels()
    {
        var data = Read(("users", "300"), ("items", "60"), ("intents", "2"), ("factor_dim", "1"));
        var truth = UserFactorTruth.Of(data)!;
        var synthetic = (SyntheticTruth)data.Extras[SyntheticTruth.ExtrasKey];

        truth.Independent.Should().BeFalse();
        truth.Names.Should().Equal("mixture:intent0", "mixture:intent1", "preference:intent0:0", "preference:intent1:0");
        truth.Values[7][1].Should().Be(synthetic.UserMixtures[7][1]);
        truth.Values[7][3].Should().Be(synthetic.UserPreferences[7][1][0]);
        // Ten bins of about 30 users each, ordered like the values.
        truth.LevelCounts[2].Should().Be(10);
        var byLevel = Enumerable.Range(0, 300).GroupBy(u => truth.Levels[u][2]).OrderBy(g => g.Key).ToList();
        byLevel.Should().OnlyContain(g => g.Count() == 30);
        for (int l = 1; l < byLevel.Count; l++)
            byLevel[l].Min(u => truth.Values[u][2]).Should().BeGreaterThan(byLevel[l - 1].Max(u => truth.Values[u][2]));
    }

    [Fact]
    public void The_rejection_sampler_draws_from_the_same_law_as_the_keys()
    {
        // Same users and items (stages 1 and 2 do not depend on the sampler); other draws.
        var keys = Read(("users", "3000"), ("items", "80"), ("intents", "4"), ("sampler", "keys"));
        var rejection = Read(("users", "3000"), ("items", "80"), ("intents", "4"), ("sampler", "rejection"));
        rejection.Interactions.Columns.Should().NotEqual(keys.Interactions.Columns);
        ((double)rejection.Interactions.Count).Should().BeApproximately(keys.Interactions.Count, 0.03 * keys.Interactions.Count, "the counts per user follow the same law");

        var a = ItemCounts(keys);
        var b = ItemCounts(rejection);
        Correlation.Pearson(a, b).Should().BeGreaterThan(0.97, "each item is drawn about as often under both samplers");
        var truth = (SyntheticTruth)keys.Extras[SyntheticTruth.ExtrasKey];
        DominantShare(keys, truth).Should().BeApproximately(DominantShare(rejection, truth), 0.01);
        for (int u = 0; u < rejection.UserCount; u++)
            rejection.Interactions.Row(u).ToArray().Should().OnlyHaveUniqueItems();
    }

    [Fact]
    public void Auto_takes_the_keys_for_every_shipped_size_and_rejection_above()
    {
        (SyntheticParameters.Default() with { Users = 5000, Items = 3000 }).ResolvedSampler.Should().Be(SyntheticParameters.KeysSampler);
        (SyntheticParameters.Default() with { Users = 100_000, Items = 20_000 }).ResolvedSampler.Should().Be(SyntheticParameters.RejectionSampler);
        var bad = () => Read(("sampler", "fast"));
        bad.Should().Throw<ArgumentException>().WithMessage("dataset.sampler: 'fast' is not valid; expected one of auto, keys, rejection.");
        var regime = () => Read(("user_factors", "indep"));
        regime.Should().Throw<ArgumentException>().WithMessage("dataset.user_factors: 'indep' is not valid; expected one of dirichlet, independent.");
    }

    private static double[] ItemCounts(Dataset data)
    {
        var counts = new double[data.ItemCount];
        foreach (var i in data.Interactions.Columns) counts[i]++;
        return counts;
    }

    /// <summary>The share of all interactions that fall in the user's dominant intent.</summary>
    private static double DominantShare(Dataset data, SyntheticTruth truth)
    {
        double inDominant = 0;
        for (int u = 0; u < data.UserCount; u++)
            foreach (var i in data.Interactions.Row(u))
                if (truth.ItemCategories[i] == truth.DominantIntents[u]) inDominant++;
        return inDominant / data.Interactions.Count;
    }
}
