using System.Composition;
using Untangle.Contracts.Components;
using Untangle.Contracts.Evaluation;

namespace Untangle.Plugins.FairMi;

/// <summary>
/// JS-DP@K (FairMI, Zhao et al., AAAI 2023, sec. "Evaluation"): the Jensen–Shannon distance between
/// the sensitive groups' top-K item exposure distributions (<see cref="ExposureCounts"/>,
/// <see cref="JensenShannon"/>). Lower is fairer. The group is the data set's sensitive attribute.
/// </summary>
[ExportComponent(ComponentKind.Metric, FairMiPlugin.JsDp,
    Description = "Jensen-Shannon distance between the sensitive groups' top-K exposure distributions (lower is fairer); users with targets only",
    Citation = FairMiPlugin.Citation)]
[Shared]
public sealed class JsDemographicParity : IMetric
{
    public bool HigherIsBetter => false;

    public MetricResult Compute(RankingResult ranking, int k)
    {
        var counts = ExposureCounts.FromRanking(ranking, k, hitsOnly: false, FairMiPlugin.JsDp);
        return MetricResult.Aggregate(JensenShannon.Distance(counts.Counts), counts.Users);
    }
}
