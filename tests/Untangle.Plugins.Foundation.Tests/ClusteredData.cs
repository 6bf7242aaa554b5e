using Untangle.Contracts.Data;

namespace Untangle.Plugins.Foundation.Tests;

/// <summary>
/// A tiny data set with an obvious structure: users and items fall into <c>clusters</c> groups, and
/// each user interacts with <c>perUser</c> random items of its own group only. One of them per user
/// is held out as the test target; the rest is the training matrix. A model that learns the groups
/// ranks the held-out item above the other groups' items; popularity cannot (all items are
/// about equally popular).
/// </summary>
public sealed record ClusteredData(Interactions Train, int[] HeldOut, int[] ClusterOfItem, int[] ClusterOfUser)
{
    public static ClusteredData Generate(int clusters = 3, int usersPerCluster = 12, int itemsPerCluster = 10, int perUser = 6, int seed = 11)
    {
        var random = new Random(seed);
        int users = clusters * usersPerCluster, items = clusters * itemsPerCluster;
        var rows = new int[users][];
        var heldOut = new int[users];
        var clusterOfUser = new int[users];
        for (int u = 0; u < users; u++)
        {
            int c = u / usersPerCluster;
            clusterOfUser[u] = c;
            var chosen = Enumerable.Range(c * itemsPerCluster, itemsPerCluster).ToArray();
            random.Shuffle(chosen);
            heldOut[u] = chosen[0];
            rows[u] = chosen[1..perUser];
        }
        var clusterOfItem = Enumerable.Range(0, items).Select(i => i / itemsPerCluster).ToArray();
        return new ClusteredData(Fixtures.Matrix(items, rows), heldOut, clusterOfItem, clusterOfUser);
    }

    public int[][] HeldOutRows => HeldOut.Select(i => new[] { i }).ToArray();

    /// <summary>
    /// How often each user's held-out item outscores an item the user never saw (training or test),
    /// over all such pairs: a sampled AUC, 0.5 for a random scorer.
    /// </summary>
    public double HeldOutWinRate(float[][] scores)
    {
        long wins = 0, pairs = 0;
        for (int u = 0; u < scores.Length; u++)
            for (int j = 0; j < Train.ColumnCount; j++)
            {
                if (j == HeldOut[u] || Train.Contains(u, j)) continue;
                pairs++;
                if (scores[u][HeldOut[u]] > scores[u][j]) wins++;
            }
        return (double)wins / pairs;
    }
}
