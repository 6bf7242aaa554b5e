using Untangle.Contracts.Data;

namespace Untangle.Plugins.FairMi.Tests;

/// <summary>
/// Two user communities of <see cref="UsersPerGroup"/> users, each interacting only with its own half
/// of the items; the community is the sensitive attribute, so it is fully recoverable from the graph.
/// </summary>
public static class Communities
{
    public const int UsersPerGroup = 8;
    public const int ItemsPerGroup = 6;

    public static Dataset Build()
    {
        var rows = new List<int[]>();
        var groups = new List<int>();
        for (int g = 0; g < 2; g++)
            for (int u = 0; u < UsersPerGroup; u++)
            {
                // Four of the group's six items, shifted per user so users differ.
                rows.Add(Enumerable.Range(0, 4).Select(k => g * ItemsPerGroup + (u + k) % ItemsPerGroup).Order().ToArray());
                groups.Add(g);
            }
        return Fixtures.WithGender(Fixtures.Rows(2 * ItemsPerGroup, [.. rows]), [.. groups]);
    }
}
