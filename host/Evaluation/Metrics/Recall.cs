using System.Composition;
using Untangle.Contracts.Components;
using Untangle.Contracts.Evaluation;

namespace Untangle.Host.Evaluation.Metrics;

/// <summary>
/// Recall@K with the plain normalisation: h / |T|, where h = |L[:K] ∩ T|. A user with more targets
/// than K cannot reach 1. This is the "recall" of RecBole, MMRec, LATTICE/MMSSL and FairMI; MultVAE
/// and MacridVAE report <see cref="CappedRecall"/> instead.
/// </summary>
[ExportComponent(ComponentKind.Metric, "recall",
    Description = "Recall@K normalised by the number of targets: hits / |targets|",
    Citation = "Wayne Xin Zhao, Shanlei Mu, Yupeng Hou, et al. RecBole: Towards a Unified, Comprehensive and Efficient Framework for Recommendation Algorithms. CIKM 2021.")]
[Shared]
public sealed class Recall : PerUserRankingMetric
{
    protected override double Score(ReadOnlySpan<int> ranked, ReadOnlySpan<int> targets, int k) =>
        (double)Hits.Count(ranked, targets) / targets.Length;
}
