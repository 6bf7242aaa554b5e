using System.Composition;
using Untangle.Contracts.Components;
using Untangle.Contracts.Evaluation;

namespace Untangle.Host.Evaluation.Metrics;

/// <summary>
/// MRR@K: per user 1 / r, where r is the 1-based rank of the first target within the top K, and 0
/// when none is there; the mean over users is the mean reciprocal rank (Voorhees, TREC-8 QA 1999;
/// RecBole's "mrr").
/// </summary>
[ExportComponent(ComponentKind.Metric, "mrr",
    Description = "Mean reciprocal rank@K: 1 / rank of the first target within the top K, else 0",
    Citation = "Ellen M. Voorhees. The TREC-8 Question Answering Track Report. TREC 1999.")]
[Shared]
public sealed class ReciprocalRank : PerUserRankingMetric
{
    protected override double Score(ReadOnlySpan<int> ranked, ReadOnlySpan<int> targets, int k)
    {
        int first = Hits.FirstRank(ranked, targets);
        return first > 0 ? 1.0 / first : 0.0;
    }
}
