using Microsoft.Extensions.Logging.Abstractions;
using Untangle.Contracts.Data;
using Untangle.Contracts.Settings;
using Untangle.Host.Data.Synthetic;
using Xunit.Abstractions;

namespace Untangle.Tests.Data.Synthetic;

public class SyntheticReaderTests(ITestOutputHelper output)
{
    private static readonly SyntheticReader Reader = new();

    private static Dataset Read(params (string Key, string Value)[] options) =>
        Reader.Read(null, SettingValues.Resolve("dataset", Reader.Options, options.ToDictionary(o => o.Key, o => o.Value)), NullLogger.Instance);

    private static readonly Lazy<Dataset> Default = new(() => Read());

    private static SyntheticTruth Truth(Dataset d) => (SyntheticTruth)d.Extras[SyntheticTruth.ExtrasKey];

    [Fact]
    public void Same_seed_gives_the_same_data_and_another_seed_different_data()
    {
        var small = SyntheticParameters.Default() with { Users = 200, Items = 100 };
        var a = SyntheticReader.Generate(small);
        var b = Read(("users", "200"), ("items", "100"));
        var c = SyntheticReader.Generate(small with { Seed = 7 });

        b.Interactions.RowStart.Should().Equal(a.Interactions.RowStart);
        b.Interactions.Columns.Should().Equal(a.Interactions.Columns);
        b.Interactions.Timestamps.Should().Equal(a.Interactions.Timestamps!);
        b.ItemFeatures["image"].Data.Should().Equal(a.ItemFeatures["image"].Data);
        b.UserAttributes["group"].Codes.Should().Equal(a.UserAttributes["group"].Codes);
        c.Interactions.Columns.Should().NotEqual(a.Interactions.Columns);
        c.ItemFeatures["text"].Data.Should().NotEqual(a.ItemFeatures["text"].Data);
    }

    [Fact]
    public void Default_sizes_and_side_information()
    {
        var d = Default.Value;
        d.UserCount.Should().Be(1000);
        d.ItemCount.Should().Be(500);
        d.ItemFeatures["image"].Should().Match<FeatureMatrix>(f => f.Rows == 500 && f.Columns == 32);
        d.ItemFeatures["text"].Should().Match<FeatureMatrix>(f => f.Rows == 500 && f.Columns == 32);
        d.ItemText.Should().HaveCount(500).And.Contain(t => t.Contains("intent3"));
        d.SensitiveAttribute.Should().Be("group");
        d.UserAttributes["group"].Codes.Should().HaveCount(1000);
        d.Interactions.Values.Should().OnlyContain(v => v == 1f);
        double mean = (double)d.Interactions.Count / d.UserCount;
        output.WriteLine($"mean interactions per user: {mean:F1}");
        mean.Should().BeInRange(34, 46);
    }

    [Fact]
    public void Every_user_has_at_least_5_interactions_with_increasing_timestamps()
    {
        var m = Default.Value.Interactions;
        for (int u = 0; u < m.Rows; u++)
        {
            m.RowLength(u).Should().BeGreaterThanOrEqualTo(5);
            var times = m.Timestamps!.AsSpan(m.RowStart[u], m.RowLength(u)).ToArray();
            times.Should().OnlyHaveUniqueItems("each user's interactions follow one another in time");
        }
    }

    [Fact]
    public void Every_item_has_exactly_one_category_and_categories_are_balanced()
    {
        var d = Default.Value;
        d.ItemCategories!.Names.Should().Equal("intent0", "intent1", "intent2", "intent3", "intent4");
        d.ItemCategories.Of.Should().OnlyContain(c => c.Length == 1);
        var sizes = d.ItemCategories.Of.GroupBy(c => c[0]).Select(g => g.Count()).ToArray();
        sizes.Should().HaveCount(5).And.OnlyContain(s => s == 100);
        d.ItemCategories.Of.Select(c => c[0]).Should().Equal(Truth(d).ItemCategories);
    }

    [Fact]
    public void Group_attribute_follows_the_dominant_intent_about_as_often_as_configured()
    {
        double Agreement(Dataset d) => Enumerable.Range(0, d.UserCount)
            .Average(u => d.UserAttributes["group"].Codes[u] == Truth(d).DominantIntents[u] % 2 ? 1.0 : 0.0);

        // With probability c the rule, else a coin that agrees half the time: c + (1 - c) / 2.
        double correlated = Agreement(Default.Value), independent = Agreement(Read(("attribute_correlation", "0")));
        output.WriteLine($"agreement: {correlated:F3} at 0.8, {independent:F3} at 0");
        correlated.Should().BeApproximately(0.9, 0.04);
        independent.Should().BeApproximately(0.5, 0.06);
    }

    [Fact]
    public void The_modalities_share_the_shared_factors_but_not_each_others_specific_factors()
    {
        var d = Default.Value;
        var truth = Truth(d);
        double[][] Rows(FeatureMatrix f) => Enumerable.Range(0, f.Rows).Select(r => f.Row(r).ToArray().Select(x => (double)x).ToArray()).ToArray();
        var image = Rows(d.ItemFeatures["image"]);
        var text = Rows(d.ItemFeatures["text"]);

        double sharedFromImage = LinearFit.MeanRSquared(image, truth.SharedFactors);
        double sharedFromText = LinearFit.MeanRSquared(text, truth.SharedFactors);
        double textSpecificFromImage = LinearFit.MeanRSquared(image, truth.Text.SpecificFactors);
        double imageSpecificFromImage = LinearFit.MeanRSquared(image, truth.Image.SpecificFactors);
        double textFromImage = LinearFit.MeanRSquared(image, text);
        output.WriteLine($"R²: shared|image {sharedFromImage:F3}, shared|text {sharedFromText:F3}, textSpecific|image {textSpecificFromImage:F3}, " +
                         $"imageSpecific|image {imageSpecificFromImage:F3}, text|image {textFromImage:F3}");

        sharedFromImage.Should().BeGreaterThan(0.8);
        sharedFromText.Should().BeGreaterThan(0.8);
        imageSpecificFromImage.Should().BeGreaterThan(0.8);
        textSpecificFromImage.Should().BeLessThan(0.15, "500 items and 33 regressors give about 0.07 by chance alone");
        textFromImage.Should().BeInRange(0.2, 0.7, "the modalities share about half their signal");
    }

    [Fact]
    public void Plugins_find_the_modality_factors_in_the_contracts_type()
    {
        var d = Default.Value;
        var factors = ItemFactorTruth.Of(d);
        factors.Should().NotBeNull();
        factors!.Shared.Should().BeSameAs(Truth(d).SharedFactors);
        factors.Specific.Keys.Should().BeEquivalentTo(d.ItemFeatures.Keys);
        factors.Specific["text"].Should().BeSameAs(Truth(d).Text.SpecificFactors);
        var real = new Dataset { Name = "real", UserIds = d.UserIds, ItemIds = d.ItemIds, Interactions = d.Interactions };
        ItemFactorTruth.Of(real).Should().BeNull("real data sets carry no truth");
    }

    [Fact]
    public void Ranking_by_the_true_preferences_beats_popularity_clearly()
    {
        var d = Default.Value;
        var truth = Truth(d);
        var m = d.Interactions;
        var counts = new int[d.ItemCount];
        foreach (var c in m.Columns) counts[c]++;
        var byPopularity = Enumerable.Range(0, d.ItemCount).OrderByDescending(i => counts[i]).ThenBy(i => i).Take(10).ToArray();

        const int k = 10;
        double oracle = 0, popular = 0;
        for (int u = 0; u < m.Rows; u++)
        {
            var weights = truth.LogItemWeights(u);
            var byTruth = Enumerable.Range(0, d.ItemCount).OrderByDescending(i => weights[i]).Take(k);
            oracle += byTruth.Count(i => m.Contains(u, i)) / (double)k;
            popular += byPopularity.Count(i => m.Contains(u, i)) / (double)k;
        }
        oracle /= m.Rows;
        popular /= m.Rows;
        output.WriteLine($"precision@{k}: oracle {oracle:F3}, popularity {popular:F3}");
        oracle.Should().BeGreaterThan(2 * popular);
    }

    [Fact]
    public void Truth_is_kept_with_the_data_and_written_where_a_path_is_given()
    {
        var folder = Path.Combine(Scratch.Folder("untangle-synthetic-").FullName, "nested");
        try
        {
            var options = SettingValues.Resolve("dataset", Reader.Options, new Dictionary<string, string> { ["users"] = "50", ["items"] = "40" });
            var d = Reader.Read(folder, options, NullLogger.Instance);
            var file = Path.Combine(folder, SyntheticTruth.FileName);
            File.Exists(file).Should().BeTrue();
            var back = SyntheticTruth.ReadFrom(file);
            var truth = Truth(d);
            back.Parameters.Should().Be(truth.Parameters);
            back.UserPreferences[3][1].Should().Equal(truth.UserPreferences[3][1]);
            back.Text.SpecificFactors[7].Should().Equal(truth.Text.SpecificFactors[7]);
            back.ItemCategories.Should().Equal(truth.ItemCategories);
            truth.UserMixtures.Should().OnlyContain(mix => Math.Abs(mix.Sum() - 1) < 1e-9);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(folder)!, recursive: true);
        }
    }

    [Fact]
    public void A_bad_option_names_its_key()
    {
        var act = () => Read(("items", "3"));
        act.Should().Throw<ArgumentException>().WithMessage("*dataset.items*'3'*");
    }
}
