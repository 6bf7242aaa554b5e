namespace Untangle.Plugins.FairMi;

/// <summary>
/// Untangle.Plugins.FairMi: FairMI (Zhao et al., AAAI 2023; specs/fairmi.md) and its fairness
/// evaluation. MEF finds every export by its attribute; this file only names them.
/// </summary>
/// <remarks>
/// <para><b>Methods</b> (<see cref="FairMiRecipe"/>; weak generalization, training users only)</para>
/// <list type="bullet">
///   <item>"fairmi-bpr" — <see cref="FairMiBprMethod"/>: z = BPR-MF.</item>
///   <item>"fairmi-lightgcn" — <see cref="FairMiLightGcnMethod"/>: z = LightGCN.</item>
/// </list>
/// Both pre-train the sensitive encoder (<see cref="SensitiveEncoder"/>) and the plain model p
/// (<see cref="PreferencePretraining"/>, or load p with hyper.p_checkpoint: <see cref="PreferenceCheckpoint"/>)
/// in Build, take their bounds from InfoBounds by slot
/// ("conditional-infonce", "club-sample"), and report attacker AUC in the "fairness" analysis
/// (<see cref="AttributeAttacker"/>, <see cref="RocAuc"/>).
/// <para><b>Metrics</b> (lower is fairer; the data set's sensitive attribute, dataset.sensitive on the
/// MovieLens and RecBole readers; users with targets only)</para>
/// <list type="bullet">
///   <item>"js_dp" — <see cref="JsDemographicParity"/>: JS distance of the groups' top-K exposure.</item>
///   <item>"js_eo" — <see cref="JsEqualOpportunity"/>: the same over top-K hits.</item>
/// </list>
/// </remarks>
public static class FairMiPlugin
{
    public const string FairMiBpr = "fairmi-bpr";
    public const string FairMiLightGcn = "fairmi-lightgcn";
    public const string JsDp = "js_dp";
    public const string JsEo = "js_eo";

    public const string Citation =
        "Chen Zhao, Le Wu, Pengyang Shao, Kun Zhang, Richang Hong, Meng Wang. Fair Representation Learning for Recommendation: A Mutual Information Perspective. AAAI 2023.";
}
