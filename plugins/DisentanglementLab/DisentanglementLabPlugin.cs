namespace Untangle.Plugins.DisentanglementLab;

/// <summary>
/// Untangle.Plugins.DisentanglementLab: the metrics with which Locatello, Bauer, Lucic, Rätsch, Gelly,
/// Schölkopf and Bachem, "Challenging Common Assumptions in the Unsupervised Learning of Disentangled
/// Representations" (ICML 2019), judge disentanglement, after their library disentanglement_lib
/// (google-research/disentanglement_lib, evaluation/metrics/). Each is an exported
/// disentanglement-metric; the host runs those eval.disentanglement names (all but "dci-trees" by
/// default) on every user representation a method hands out when the data set knows its users' true
/// factors (the synthetic reader), and on a random rotation of the same codes (suffix _rotated), and
/// writes them to metrics.json under "disentanglement".
/// </summary>
/// <remarks>
/// <list type="bullet">
///   <item>"mig" — <see cref="MutualInformationGap"/> (Chen et al. 2018).</item>
///   <item>"dci" — <see cref="DciScore"/> (Eastwood &amp; Williams 2018): disentanglement, completeness,
///   informativeness, importances from the paper's lasso (<see cref="LassoImportances"/>); "dci-trees" —
///   <see cref="DciTreesScore"/>, the same from FastTree gradient-boosted trees as dci.py.</item>
///   <item>"sap" — <see cref="SapScore"/> (Kumar et al. 2018).</item>
///   <item>"modularity" and "explicitness" — <see cref="Modularity"/>, <see cref="Explicitness"/>
///   (Ridgeway &amp; Mozer 2018).</item>
///   <item>"factorvae" — <see cref="FactorVaeScore"/> (Kim &amp; Mnih 2018).</item>
///   <item>"betavae" — <see cref="BetaVaeScore"/> (Higgins et al. 2017).</item>
/// </list>
/// <para><b>Blocks</b>: <see cref="CodeBins"/> (20 equal-width bins per code, disentanglement_lib's
/// histogram_discretize), <see cref="DiscreteInformation"/> (entropy and mutual information in nats),
/// <see cref="SoftmaxRegression"/> (L2 multinomial logistic regression, sklearn's default),
/// <see cref="LevelGroups"/> (users sharing a factor's level).</para>
/// <para><b>Sampling scores from observed users.</b> disentanglement_lib's FactorVAE and β-VAE scores
/// ask a simulator for observations with one factor fixed. Here the users are already drawn; where the
/// factors are independent (dataset.user_factors=independent), the users whose factor k has level v
/// are a sample of the other factors' prior with f_k = v, so the scores draw their batches from them.
/// With dependent factors (the Dirichlet regime) the same computation conditions the others too, and
/// the scores are then only indicative.</para>
/// </remarks>
public static class DisentanglementLabPlugin
{
    public const string Citation =
        "Francesco Locatello, Stefan Bauer, Mario Lucic, Gunnar Rätsch, Sylvain Gelly, Bernhard Schölkopf, Olivier Bachem. Challenging Common Assumptions in the Unsupervised Learning of Disentangled Representations. ICML 2019.";
}
