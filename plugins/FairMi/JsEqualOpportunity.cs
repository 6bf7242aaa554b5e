using System.Composition;
using Untangle.Contracts.Components;
using Untangle.Contracts.Evaluation;

namespace Untangle.Plugins.FairMi;

/// <summary>
/// JS-EO@K (FairMI, Zhao et al., AAAI 2023): as <see cref="JsDemographicParity"/> but counting only
/// the hits (top-K ∩ test items), so it compares what each group is recommended *correctly*.
/// Lower is fairer.
/// </summary>
[ExportComponent(ComponentKind.Metric, FairMiPlugin.JsEo,
    Description = "Jensen-Shannon distance between the sensitive groups' top-K hit distributions (lower is fairer); users with targets only",
    Citation = FairMiPlugin.Citation)]
[Shared]
public sealed class JsEqualOpportunity : IMetric
{
    public bool HigherIsBetter => false;

    public MetricResult Compute(RankingResult ranking, int k)
    {
        var counts = ExposureCounts.FromRanking(ranking, k, hitsOnly: true, FairMiPlugin.JsEo);
        return MetricResult.Aggregate(JensenShannon.Distance(counts.Counts), counts.Users);
    }
}
