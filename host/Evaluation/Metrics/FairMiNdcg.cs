using System.Composition;
using Untangle.Contracts.Components;
using Untangle.Contracts.Evaluation;

namespace Untangle.Host.Evaluation.Metrics;

/// <summary>
/// NDCG@K as FairMI's code computes it (Zhao et al. 2023): the DCG of <see cref="Ndcg"/>, but the
/// IDCG sums over all |T| targets, Σ_{r ≤ |T|} 1 / log2(r + 1), not capped at K. For a user with more
/// targets than K even a perfect list scores below 1, so values are lower than plain NDCG and only
/// comparable with FairMI's table. Named apart so it is never taken for standard NDCG.
/// </summary>
[ExportComponent(ComponentKind.Metric, "ndcg_fairmi",
    Description = "NDCG@K with IDCG over all |targets| items (not capped at K), FairMI's variant",
    Citation = "Chen Zhao, Le Wu, Pengyang Shao, Kun Zhang, Richang Hong, Meng Wang. Fair Representation Learning for Recommendation: A Mutual Information Perspective. AAAI 2023.")]
[Shared]
public sealed class FairMiNdcg : PerUserRankingMetric
{
    protected override double Score(ReadOnlySpan<int> ranked, ReadOnlySpan<int> targets, int k) =>
        RankDiscount.Dcg(ranked, targets) / RankDiscount.Ideal(targets.Length);
}
