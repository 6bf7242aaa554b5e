using Untangle.Contracts.Settings;

namespace Untangle.Host.Data.Synthetic;

/// <summary>
/// The synthetic generator's parameters (dataset.&lt;option&gt; keys). The defaults make a data set
/// on which LightGCN trains in about a minute on two CPU cores: 1000 users, 500 items, about 40
/// interactions per user.
/// </summary>
public sealed record SyntheticParameters(
    int Users,
    int Items,
    int Intents,
    int FactorDim,
    double UserConcentration,
    double MeanInteractions,
    double Temperature,
    double PopularityExponent,
    int SharedDim,
    int SpecificDim,
    int ModalityDim,
    double Noise,
    double AttributeCorrelation,
    int Seed,
    string UserFactors = UserFactorRegime.Dirichlet,
    int FactorLevels = 10,
    double StrengthScale = 2.0,
    string Sampler = SyntheticParameters.AutoSampler)
{
    /// <summary>Every user gets at least this many interactions.</summary>
    public const int MinInteractions = 5;

    /// <summary>dataset.sampler values: "keys" draws with Efraimidis–Spirakis keys over every item (cost users × items), "rejection" with <see cref="IntentRejectionSampler"/> (one bound per bucket of 16 items plus the draws); "auto" takes keys up to <see cref="KeysUpTo"/> users × items, so every shipped experiment keeps its data, and rejection above.</summary>
    public const string AutoSampler = "auto", KeysSampler = "keys", RejectionSampler = "rejection";
    public const long KeysUpTo = 50_000_000;

    /// <summary>The sampler "auto" resolves to for these sizes.</summary>
    public string ResolvedSampler => Sampler != AutoSampler ? Sampler : (long)Users * Items <= KeysUpTo ? KeysSampler : RejectionSampler;

    public static IReadOnlyList<SettingSpec> Options { get; } =
    [
        SettingSpec.Int("users", 1000, "Number of users."),
        SettingSpec.Int("items", 500, "Number of items."),
        SettingSpec.Int("intents", 5, "K, the number of intents; every item belongs to exactly one intent category."),
        SettingSpec.Int("factor_dim", 8, "d, the size of the per-intent user preference vectors and of the item factors."),
        SettingSpec.Float("user_concentration", 0.3, "Dirichlet concentration of each user's mixture over intents; small values make users focused on few intents."),
        SettingSpec.Float("mean_interactions", 40, "Mean interactions per user: 5 + a geometric count with mean (this − 5), capped at half the items."),
        SettingSpec.Float("temperature", 1.0, "Temperature of exp(<preference, item factor> / temperature); lower makes preferences within an intent sharper."),
        SettingSpec.Float("pop_exponent", 0.5, "Exponent on the Zipf popularity 1/rank of items; 0 removes the popularity effect."),
        SettingSpec.Int("shared_dim", 8, "Size of the item factors both modalities share (a projection of the category embedding and item factor)."),
        SettingSpec.Int("specific_dim", 8, "Size of the factors specific to each modality."),
        SettingSpec.Int("modality_dim", 32, "Columns of each modality's feature matrix ('image' and 'text')."),
        SettingSpec.Float("noise", 0.5, "Standard deviation of the Gaussian noise added to every modality feature."),
        SettingSpec.Float("attribute_correlation", 0.8, "Probability that a user's 'group' follows the dominant intent (even intent → group0, odd → group1); otherwise a fair coin."),
        SettingSpec.Int("seed", 2024, "Seed of the generator; the same seed gives the same data, factors and features."),
        SettingSpec.String("user_factors", UserFactorRegime.Dirichlet,
            "How user factors are drawn: 'dirichlet' (mixture ~ Dirichlet(user_concentration), preferences ~ N(0, I)) or 'independent' (K intent strengths and K*factor_dim preference coordinates each drawn on its own from factor_levels values; mixture = softmax(strengths)), the regime disentanglement metrics assume."),
        SettingSpec.Int("factor_levels", 10, "Values each user factor takes in the independent regime (and quantile bins of the Dirichlet regime's factors for the discrete metrics)."),
        SettingSpec.Float("strength_scale", 2.0, "Independent regime: intent strengths lie evenly in [-strength_scale, strength_scale] before the softmax."),
        SettingSpec.String("sampler", AutoSampler,
            "How items are drawn: 'keys' (exact keys over every item, cost users x items), 'rejection' (a bound per bucket of 16 items plus the draws; same distribution, other draws), 'auto' (keys up to 5e7 users x items, so shipped experiments keep their data)."),
    ];

    /// <summary>Reads and checks the options; a bad value fails naming its dataset.&lt;key&gt;.</summary>
    public static SyntheticParameters From(SettingValues o)
    {
        var p = new SyntheticParameters(
            o.Int("users"), o.Int("items"), o.Int("intents"), o.Int("factor_dim"), o.Float("user_concentration"),
            o.Float("mean_interactions"), o.Float("temperature"), o.Float("pop_exponent"), o.Int("shared_dim"),
            o.Int("specific_dim"), o.Int("modality_dim"), o.Float("noise"), o.Float("attribute_correlation"), o.Int("seed"),
            o.String("user_factors"), o.Int("factor_levels"), o.Float("strength_scale"), o.String("sampler"));
        Require(p.Users >= 1, "users", p.Users, "an integer >= 1");
        Require(p.Items >= 2 * MinInteractions, "items", p.Items, $"an integer >= {2 * MinInteractions} (every user draws at least {MinInteractions} items from at most half of them)");
        Require(p.Intents >= 1 && p.Intents <= p.Items, "intents", p.Intents, "an integer between 1 and the number of items");
        Require(p.FactorDim >= 1, "factor_dim", p.FactorDim, "an integer >= 1");
        Require(p.UserConcentration > 0, "user_concentration", p.UserConcentration, "a number > 0");
        Require(p.MeanInteractions >= MinInteractions, "mean_interactions", p.MeanInteractions, $"a number >= {MinInteractions}");
        Require(p.Temperature > 0, "temperature", p.Temperature, "a number > 0");
        Require(p.PopularityExponent >= 0, "pop_exponent", p.PopularityExponent, "a number >= 0");
        Require(p.SharedDim >= 1, "shared_dim", p.SharedDim, "an integer >= 1");
        Require(p.SpecificDim >= 1, "specific_dim", p.SpecificDim, "an integer >= 1");
        Require(p.ModalityDim >= 1, "modality_dim", p.ModalityDim, "an integer >= 1");
        Require(p.Noise >= 0, "noise", p.Noise, "a number >= 0");
        Require(p.AttributeCorrelation is >= 0 and <= 1, "attribute_correlation", p.AttributeCorrelation, "a number in [0, 1]");
        Require(UserFactorRegime.Names.Contains(p.UserFactors), "user_factors", p.UserFactors, $"one of {string.Join(", ", UserFactorRegime.Names)}");
        Require(p.Sampler is AutoSampler or KeysSampler or RejectionSampler, "sampler", p.Sampler, $"one of {AutoSampler}, {KeysSampler}, {RejectionSampler}");
        Require(p.FactorLevels >= 2, "factor_levels", p.FactorLevels, "an integer >= 2");
        Require(p.StrengthScale > 0, "strength_scale", p.StrengthScale, "a number > 0");
        return p;
    }

    /// <summary>The defaults, with the given seed.</summary>
    public static SyntheticParameters Default(int seed = 2024) =>
        From(SettingValues.Resolve("dataset", Options)) with { Seed = seed };

    private static void Require(bool ok, string key, object value, string expected)
    {
        if (!ok) throw new ArgumentException($"dataset.{key}: '{SettingSpec.Format(value)}' is not valid; expected {expected}.");
    }
}
