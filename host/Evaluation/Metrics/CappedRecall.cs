using System.Composition;
using Untangle.Contracts.Components;
using Untangle.Contracts.Evaluation;

namespace Untangle.Host.Evaluation.Metrics;

/// <summary>
/// Recall@K with Liang's normalisation: h / min(K, |T|), where h = |L[:K] ∩ T|, so a list of K
/// targets scores 1 even when the user has more than K. This is the "Recall@K" of MultVAE (Liang et
/// al. 2018, Recall_at_k_batch in their reference code) and of MacridVAE (Ma et al. 2019), which
/// reuses that code. Plain h / |T| is <see cref="Recall"/>.
/// </summary>
[ExportComponent(ComponentKind.Metric, "recall_capped",
    Description = "Recall@K normalised by min(K, |targets|), as in MultVAE and MacridVAE",
    Citation = "Dawen Liang, Rahul G. Krishnan, Matthew D. Hoffman, Tony Jebara. Variational Autoencoders for Collaborative Filtering. WWW 2018.")]
[Shared]
public sealed class CappedRecall : PerUserRankingMetric
{
    protected override double Score(ReadOnlySpan<int> ranked, ReadOnlySpan<int> targets, int k) =>
        (double)Hits.Count(ranked, targets) / Math.Min(k, targets.Length);
}
