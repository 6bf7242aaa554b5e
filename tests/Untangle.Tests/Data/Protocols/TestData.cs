using Untangle.Contracts.Data;
using Untangle.Contracts.Settings;

namespace Untangle.Tests.Data.Protocols;

/// <summary>Small hand-built data sets and option helpers for the protocol tests.</summary>
internal static class TestData
{
    /// <summary>A data set from (user, item, rating, timestamp) tuples.</summary>
    public static Dataset Build(int users, int items, IEnumerable<(int User, int Item, float Rating, long Time)> entries, bool withTimes = true)
    {
        var b = new InteractionsBuilder(users, items);
        foreach (var (u, i, r, t) in entries) b.Add(u, i, r, withTimes ? t : null);
        return new Dataset
        {
            Name = "fixture",
            UserIds = Enumerable.Range(0, users).Select(u => $"u{u}").ToArray(),
            ItemIds = Enumerable.Range(0, items).Select(i => $"i{i}").ToArray(),
            Interactions = b.Build(),
        };
    }

    /// <summary>A data set without ratings or timestamps from per-user item lists.</summary>
    public static Dataset Implicit(int items, params int[][] rows)
    {
        var b = new InteractionsBuilder(rows.Length, items);
        for (int u = 0; u < rows.Length; u++)
            foreach (var i in rows[u]) b.Add(u, i);
        return new Dataset
        {
            Name = "fixture",
            UserIds = Enumerable.Range(0, rows.Length).Select(u => $"u{u}").ToArray(),
            ItemIds = Enumerable.Range(0, items).Select(i => $"i{i}").ToArray(),
            Interactions = b.Build(),
        };
    }

    public static SettingValues Options(IEnumerable<SettingSpec> specs, params (string Key, string Value)[] given) =>
        SettingValues.Resolve("protocol", specs, given.ToDictionary(g => g.Key, g => g.Value));

    public static HashSet<int> RowSet(Interactions m, int row) => m.Row(row).ToArray().ToHashSet();
}
