using Untangle.Contracts.Data;
using Untangle.Contracts.Evaluation;

namespace Untangle.Tests.Evaluation;

/// <summary>Small hand-written evaluation sets, splits and rankings (synthetic, no real data).</summary>
internal static class RankingFixture
{
    /// <summary>CSR rows from per-row item lists.</summary>
    public static Interactions Rows(int items, params int[][] rows)
    {
        var b = new InteractionsBuilder(rows.Length, items);
        for (int r = 0; r < rows.Length; r++)
            foreach (var c in rows[r]) b.Add(r, c);
        return b.Build();
    }

    /// <summary>An evaluation set over training users 0..n-1 with the given known items and targets per user.</summary>
    public static EvaluationSet Set(string name, int items, int[][] known, int[][] targets) => new()
    {
        Name = name,
        Users = Enumerable.Range(0, known.Length).ToArray(),
        DatasetUsers = Enumerable.Range(0, known.Length).ToArray(),
        Known = Rows(items, known),
        Targets = Rows(items, targets),
    };

    /// <summary>A split whose test set is <paramref name="test"/> (training matrix = the known items).</summary>
    public static Split Split(EvaluationSet test) => new()
    {
        Protocol = "fixture",
        Train = test.Known,
        Validation = test,
        Test = test,
        UserToDataset = Enumerable.Range(0, test.Count).ToArray(),
        ItemToDataset = Enumerable.Range(0, test.Known.ColumnCount).ToArray(),
    };

    public static Dataset Dataset(Split split) => new()
    {
        Name = "fixture",
        UserIds = Enumerable.Range(0, split.UserCount).Select(u => $"u{u}").ToArray(),
        ItemIds = Enumerable.Range(0, split.ItemCount).Select(i => $"i{i}").ToArray(),
        Interactions = split.Train,
    };

    /// <summary>A ranking result with the given top lists and targets (no known items).</summary>
    public static RankingResult Ranking(int items, int[][] top, int[][] targets, UsersWithoutTargets rule = UsersWithoutTargets.Skip)
    {
        var set = Set("test", items, top.Select(_ => Array.Empty<int>()).ToArray(), targets);
        var split = Split(set);
        return new RankingResult { Set = set, TopItems = top, Dataset = Dataset(split), Split = split, WithoutTargets = rule };
    }
}
