using Untangle.Contracts.Data;
using Untangle.Contracts.Settings;

namespace Untangle.Plugins.Pamd.Tests;

/// <summary>A small hand-made data set with two item modalities, true item factors and categories.</summary>
public static class Fixtures
{
    public const int Users = 6, Items = 16, WidthV = 4, WidthT = 3;

    /// <summary>CSR rows from lists of sorted columns.</summary>
    public static Interactions Rows(int columns, params int[][] rows)
    {
        var start = new int[rows.Length + 1];
        for (int r = 0; r < rows.Length; r++) start[r + 1] = start[r] + rows[r].Length;
        return new Interactions(rows.Length, columns, start, rows.SelectMany(r => r).ToArray());
    }

    /// <summary>
    /// Item i has shared factor a_i = (i mod 4) − 1.5 and specific factors b_i (image) and g_i (text);
    /// image = [a, b, a + b, 1], text = [2a, g, a − g]. Categories follow a: two per category.
    /// </summary>
    public static Dataset Dataset()
    {
        var shared = new double[Items][];
        var image = new double[Items][];
        var text = new double[Items][];
        var v = new float[Items * WidthV];
        var t = new float[Items * WidthT];
        for (int i = 0; i < Items; i++)
        {
            double a = i % 4 - 1.5, b = (i * 7 % 5) - 2, g = (i * 3 % 7) - 3;
            shared[i] = [a];
            image[i] = [b];
            text[i] = [g];
            new[] { a, b, a + b, 1 }.Select(x => (float)x).ToArray().CopyTo(v, i * WidthV);
            new[] { 2 * a, g, a - g }.Select(x => (float)x).ToArray().CopyTo(t, i * WidthT);
        }
        var rows = Rows(Items, [0, 1, 4, 5], [2, 3, 6], [8, 9, 12], [10, 11, 14, 15], [0, 8, 13], [1, 7, 9, 15]);
        return new Dataset
        {
            Name = "toy",
            UserIds = Enumerable.Range(0, Users).Select(u => $"u{u}").ToArray(),
            ItemIds = Enumerable.Range(0, Items).Select(i => $"i{i}").ToArray(),
            Interactions = rows,
            ItemCategories = new ItemCategories(["c0", "c1", "c2", "c3"], Enumerable.Range(0, Items).Select(i => new[] { i % 4 }).ToArray()),
            ItemFeatures = new Dictionary<string, FeatureMatrix>
            {
                ["image"] = new(Items, WidthV, v),
                ["text"] = new(Items, WidthT, t),
            },
            Extras = new Dictionary<string, object>
            {
                [ItemFactorTruth.ExtrasKey] = new ItemFactorTruth(shared, new Dictionary<string, double[][]> { ["image"] = image, ["text"] = text }),
            },
        };
    }

    public static Split Split(Dataset data)
    {
        var identity = Enumerable.Range(0, data.UserCount).ToArray();
        var set = new EvaluationSet
        {
            Name = "validation",
            Users = identity,
            DatasetUsers = identity,
            Known = data.Interactions,
            Targets = Interactions.Empty(data.UserCount, data.ItemCount),
        };
        return new Split
        {
            Protocol = "hand-made",
            Train = data.Interactions,
            Validation = set,
            Test = set,
            UserToDataset = identity,
            ItemToDataset = Enumerable.Range(0, data.ItemCount).ToArray(),
        };
    }

    public static PamdHyperParameters Hyper(Dictionary<string, string>? given = null) =>
        PamdHyperParameters.Read(SettingValues.Resolve("hyper", PamdHyperParameters.Specs, given));
}
