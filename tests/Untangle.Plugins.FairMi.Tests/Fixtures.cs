using Untangle.Contracts.Data;
using Untangle.Contracts.Evaluation;

namespace Untangle.Plugins.FairMi.Tests;

/// <summary>Small hand-made data sets and rankings.</summary>
public static class Fixtures
{
    /// <summary>CSR rows from lists of sorted columns.</summary>
    public static Interactions Rows(int columns, params int[][] rows)
    {
        var start = new int[rows.Length + 1];
        for (int r = 0; r < rows.Length; r++) start[r + 1] = start[r] + rows[r].Length;
        return new Interactions(rows.Length, columns, start, rows.SelectMany(r => r).ToArray());
    }

    /// <summary>A data set whose users carry <paramref name="groups"/> (level names F and M) as the sensitive attribute "gender".</summary>
    public static Dataset WithGender(Interactions interactions, int[] groups, string? sensitive = "gender") => new()
    {
        Name = "toy",
        UserIds = Enumerable.Range(0, interactions.Rows).Select(i => $"u{i}").ToArray(),
        ItemIds = Enumerable.Range(0, interactions.ColumnCount).Select(i => $"i{i}").ToArray(),
        Interactions = interactions,
        UserAttributes = new Dictionary<string, CategoricalAttribute> { ["gender"] = new("gender", ["F", "M"], groups) },
        SensitiveAttribute = sensitive,
    };

    /// <summary>A ranking of every user of <paramref name="dataset"/> with the given top lists and targets (user r = data-set user r).</summary>
    public static RankingResult Ranking(Dataset dataset, int[][] top, Interactions targets)
    {
        int users = dataset.UserCount, items = dataset.ItemCount;
        var identity = Enumerable.Range(0, users).ToArray();
        var set = new EvaluationSet
        {
            Name = "test",
            Users = identity,
            DatasetUsers = identity,
            Known = Interactions.Empty(users, items),
            Targets = targets,
        };
        var split = new Split
        {
            Protocol = "hand-made",
            Train = dataset.Interactions,
            Validation = set,
            Test = set,
            UserToDataset = identity,
            ItemToDataset = Enumerable.Range(0, items).ToArray(),
        };
        return new RankingResult { Set = set, TopItems = top, Dataset = dataset, Split = split, Depth = top.Max(t => t.Length) };
    }
}
