using System.Composition;
using Untangle.Contracts.Components;
using Untangle.Contracts.Evaluation;

namespace Untangle.Host.Evaluation.Metrics;

/// <summary>HitRate@K: 1 when at least one target is in the top K (h &gt; 0), else 0; RecBole's "hit".</summary>
[ExportComponent(ComponentKind.Metric, "hit",
    Description = "Hit rate@K: 1 if any target is in the top K, else 0",
    Citation = "Wayne Xin Zhao, Shanlei Mu, Yupeng Hou, et al. RecBole: Towards a Unified, Comprehensive and Efficient Framework for Recommendation Algorithms. CIKM 2021.")]
[Shared]
public sealed class HitRate : PerUserRankingMetric
{
    protected override double Score(ReadOnlySpan<int> ranked, ReadOnlySpan<int> targets, int k) =>
        Hits.FirstRank(ranked, targets) > 0 ? 1.0 : 0.0;
}
