namespace Untangle.Plugins.InfoBounds;

/// <summary>
/// Untangle.Plugins.InfoBounds: the mutual-information estimators and adversarial critics that FairMI,
/// DCID, PAMD and MMSSL share, built once and imported by name through a method's slots. MEF finds
/// every export by its attribute; this file only names them, as a table of contents. Formulas and
/// official defaults: specs/mi-estimators.md.
/// </summary>
/// <remarks>
/// <para><b>Mutual-information estimators</b> (<c>ComponentKind.MutualInformationEstimator</c>; values in nats)</para>
/// <list type="bullet">
///   <item>"club" — <see cref="ClubFactory"/> → <see cref="AllPairsClub"/>: the CLUB upper bound with every
///   in-batch pair as a negative (Cheng et al., ICML 2020), with its variational Gaussian
///   q(y|x) (<see cref="GaussianConditional"/>). Arguments x_dim, y_dim.</item>
///   <item>"club-sample" — <see cref="ClubSampleFactory"/> → <see cref="SampledClub"/>: one permuted
///   negative per row (the official CLUBSample).</item>
///   <item>"club-categorical" — <see cref="CategoricalClubFactory"/> → <see cref="CategoricalClub"/>: CLUB between
///   a vector and a categorical label as one-hot rows, softmax q(y|x) (the official CLUBForCategorical). Arguments
///   x_dim, y_dim (the number of classes).</item>
///   <item>"infonce" — <see cref="InfoNceFactory"/> → <see cref="InfoNceBound"/>: log N − L_NCE with a
///   cosine/τ critic, one- or two-directional, optional intra-view negatives as MMSSL (van den Oord et al. 2018).</item>
///   <item>"conditional-infonce" — <see cref="ConditionalInfoNceFactory"/> → <see cref="ConditionalInfoNceBound"/>:
///   FairMI's lower bound on I(x; y | s), negatives from the anchor's condition group only (Zhao et al., AAAI 2023).</item>
///   <item>"learned-infonce" — <see cref="LearnedInfoNceFactory"/> → <see cref="LearnedInfoNceBound"/>: InfoNCE
///   with a trainable bilinear or separable critic (<see cref="LearnedCritic"/>; Poole et al., ICML 2019),
///   conditional on s when given one; it owns parameters, so its slot must train it. Arguments x_dim, y_dim.</item>
///   <item>"orthogonality" — <see cref="OrthogonalityFactory"/> → <see cref="OrthogonalityPenalty"/>: PAMD's
///   mean squared row dot product, a proxy (not a bound, not in nats) that fills the same slot as CLUB.</item>
/// </list>
/// <para><b>Critics</b> (<c>ComponentKind.Discriminator</c>; argument input_dim)</para>
/// <list type="bullet">
///   <item>"wgan-gp" — <see cref="WganGpFactory"/> → <see cref="WganGpCritic"/>: MMSSL's row critic with
///   the gradient penalty on interpolates (Gulrajani et al., NeurIPS 2017).</item>
///   <item>"gan-bce" — <see cref="BceGanFactory"/> → <see cref="BceGanCritic"/>: the same network as a
///   plain binary-cross-entropy GAN critic (Goodfellow et al., NeurIPS 2014).</item>
/// </list>
/// <para><b>Plain code methods call</b> (not exported components)</para>
/// <list type="bullet">
///   <item><see cref="EstimatorSchedule"/> and <see cref="EstimatorTraining"/>: the estimator's training
///   schedule as a method setting ("5/batch", "50/epoch") and the optimisation step that fits its network.</item>
///   <item><see cref="PartRegularisers"/>: PAMD's squared dot product and MSE between representation parts.</item>
///   <item><see cref="ConditionGroups"/>: FairMI's two condition groups from the sign of a Pearson correlation.</item>
/// </list>
/// <para><b>Benchmark</b>: "mi-gaussian" — <see cref="GaussianMiBenchmark"/>: every estimator against
/// I = −(d/2)·log(1 − ρ²) on jointly Gaussian data (<see cref="CorrelatedGaussian"/>).</para>
/// <para>A method in another plugin uses the plain code above through a ProjectReference to this
/// project; the copy lands in that plugin's own folder and load context, which is harmless because
/// it touches only contract types.</para>
/// </remarks>
public static class InfoBoundsPlugin
{
    public const string Club = "club";
    public const string ClubSample = "club-sample";
    public const string ClubCategorical = "club-categorical";
    public const string InfoNce = "infonce";
    public const string ConditionalInfoNce = "conditional-infonce";
    public const string LearnedInfoNce = "learned-infonce";
    public const string Orthogonality = "orthogonality";
    public const string WganGp = "wgan-gp";
    public const string GanBce = "gan-bce";
    public const string GaussianBenchmark = "mi-gaussian";

    public const string ClubCitation =
        "Pengyu Cheng, Weituo Hao, Shuyang Dai, Jiachang Liu, Zhe Gan, Lawrence Carin. CLUB: A Contrastive Log-ratio Upper Bound of Mutual Information. ICML 2020.";
    public const string InfoNceCitation =
        "Aaron van den Oord, Yazhe Li, Oriol Vinyals. Representation Learning with Contrastive Predictive Coding. arXiv:1807.03748, 2018.";
    public const string VariationalBoundsCitation =
        "Ben Poole, Sherjil Ozair, Aaron van den Oord, Alexander A. Alemi, George Tucker. On Variational Bounds of Mutual Information. ICML 2019.";
    public const string FairMiCitation =
        "Chen Zhao, Le Wu, Pengyang Shao, Kun Zhang, Richang Hong, Meng Wang. Fair Representation Learning for Recommendation: A Mutual Information Perspective. AAAI 2023.";
    public const string PamdCitation =
        "Tengyue Han, Pengfei Wang, Shaozhang Niu, Chenliang Li. Modality Matches Modality: Pretraining Modality-Disentangled Item Representations for Recommendation. WWW 2022.";
    public const string WganGpCitation =
        "Ishaan Gulrajani, Faruk Ahmed, Martin Arjovsky, Vincent Dumoulin, Aaron Courville. Improved Training of Wasserstein GANs. NeurIPS 2017.";
    public const string GanCitation =
        "Ian Goodfellow, Jean Pouget-Abadie, Mehdi Mirza, Bing Xu, David Warde-Farley, Sherjil Ozair, Aaron Courville, Yoshua Bengio. Generative Adversarial Nets. NeurIPS 2014.";
    public const string MmsslCitation =
        "Wei Wei, Chao Huang, Lianghao Xia, Chuxu Zhang. Multi-Modal Self-Supervised Learning for Recommendation. WWW 2023.";
}
