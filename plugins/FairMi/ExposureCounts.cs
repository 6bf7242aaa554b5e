using Untangle.Contracts.Data;
using Untangle.Contracts.Evaluation;

namespace Untangle.Plugins.FairMi;

/// <summary>
/// Per sensitive group, how often each item appears in the group's top-K lists (FairMI's
/// "demographic parity" view) or among its top-K hits (its "equal opportunity" view); the input of
/// <see cref="JensenShannon"/> for JS-DP@K and JS-EO@K (specs/protocols-and-metrics.md, "Fairness metrics").
/// </summary>
/// <remarks>
/// Only users with at least one target are counted. The official evaluation gives users without test
/// items all-zero score rows, which ranks item 0 first for them and inflates its exposure
/// (specs/fairmi.md, "Metrics"); Untangle leaves those users out of both counts instead.
/// </remarks>
public sealed class ExposureCounts
{
    public ExposureCounts(string[] groupNames, double[][] counts, int users)
    {
        GroupNames = groupNames;
        Counts = counts;
        Users = users;
    }

    /// <summary>The attribute's levels, one per row of <see cref="Counts"/>.</summary>
    public string[] GroupNames { get; }
    /// <summary>groups × items counts.</summary>
    public double[][] Counts { get; }
    /// <summary>Users whose lists were counted.</summary>
    public int Users { get; }

    /// <summary>Counts the top-<paramref name="k"/> items (or only the hits among them) of every user with targets, by the sensitive group of the user.</summary>
    public static ExposureCounts FromRanking(RankingResult ranking, int k, bool hitsOnly, string metric)
    {
        if (k <= 0) throw new ArgumentOutOfRangeException(nameof(k), "K must be positive");
        var attribute = SensitiveAttributeOf(ranking.Dataset, metric);
        var set = ranking.Set;
        int items = ranking.Split.ItemCount;
        var counts = new double[attribute.Levels.Length][];
        for (int g = 0; g < counts.Length; g++) counts[g] = new double[items];
        int users = 0;
        for (int u = 0; u < set.Count; u++)
        {
            var targets = set.Targets.Row(u);
            if (targets.Length == 0) continue;
            users++;
            var row = counts[attribute.Codes[set.DatasetUsers[u]]];
            var ranked = ranking.TopItems[u];
            int depth = Math.Min(k, ranked.Length);
            for (int r = 0; r < depth; r++)
            {
                int item = ranked[r];
                if (!hitsOnly || targets.BinarySearch(item) >= 0) row[item] += 1;
            }
        }
        return new ExposureCounts(attribute.Levels, counts, users);
    }

    /// <summary>The data set's sensitive attribute, or an error naming the metric and the data set.</summary>
    public static CategoricalAttribute SensitiveAttributeOf(Dataset dataset, string metric)
    {
        var name = dataset.SensitiveAttribute
            ?? throw new InvalidOperationException(
                $"{metric} needs a sensitive user attribute, but data set '{dataset.Name}' has none " +
                "(MovieLens with u.user/users.dat: gender; synthetic: group; RecBole: dataset.sensitive = a .user token field)");
        return dataset.UserAttributes.TryGetValue(name, out var attribute)
            ? attribute
            : throw new InvalidOperationException(
                $"{metric}: data set '{dataset.Name}' names '{name}' as its sensitive attribute but has no such user attribute; attributes: {string.Join(", ", dataset.UserAttributes.Keys)}");
    }
}
