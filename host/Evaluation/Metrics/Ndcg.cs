using System.Composition;
using Untangle.Contracts.Components;
using Untangle.Contracts.Evaluation;

namespace Untangle.Host.Evaluation.Metrics;

/// <summary>
/// NDCG@K with binary relevance, the standard definition:
/// DCG = Σ_{r ≤ K, L[r] ∈ T} 1 / log2(r + 1) and IDCG = Σ_{r ≤ min(K, |T|)} 1 / log2(r + 1), so a list
/// that puts min(K, |T|) targets first scores 1. This is the NDCG of MultVAE (Liang et al. 2018) and
/// MacridVAE (Ma et al. 2019, their model selection uses NDCG@100), RecBole, MMRec and LATTICE.
/// FairMI's uncapped variant is <see cref="FairMiNdcg"/>.
/// </summary>
[ExportComponent(ComponentKind.Metric, "ndcg",
    Description = "Normalised discounted cumulative gain: DCG@K / IDCG over min(K, |targets|) ranks",
    Citation = "Kalervo Järvelin, Jaana Kekäläinen. Cumulated gain-based evaluation of IR techniques. ACM TOIS 2002.")]
[Shared]
public sealed class Ndcg : PerUserRankingMetric
{
    protected override double Score(ReadOnlySpan<int> ranked, ReadOnlySpan<int> targets, int k) =>
        RankDiscount.Dcg(ranked, targets) / RankDiscount.Ideal(Math.Min(k, targets.Length));
}
