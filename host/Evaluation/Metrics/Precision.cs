using System.Composition;
using Untangle.Contracts.Components;
using Untangle.Contracts.Evaluation;

namespace Untangle.Host.Evaluation.Metrics;

/// <summary>
/// Precision@K: h / K, where h = |L[:K] ∩ T|. The denominator is K even when the list is shorter
/// (fewer than K unknown items), as in RecBole and MMRec.
/// </summary>
[ExportComponent(ComponentKind.Metric, "precision",
    Description = "Precision@K: hits / K",
    Citation = "Wayne Xin Zhao, Shanlei Mu, Yupeng Hou, et al. RecBole: Towards a Unified, Comprehensive and Efficient Framework for Recommendation Algorithms. CIKM 2021.")]
[Shared]
public sealed class Precision : PerUserRankingMetric
{
    protected override double Score(ReadOnlySpan<int> ranked, ReadOnlySpan<int> targets, int k) =>
        (double)Hits.Count(ranked, targets) / k;
}
