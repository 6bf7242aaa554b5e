using Untangle.Contracts.Data;

namespace Untangle.Host.Data.Protocols;

/// <summary>
/// The k-core filter MMRec and LATTICE apply before splitting ("5-core"): repeatedly drop users
/// with fewer than k interactions and items with fewer than k interactions until every remaining
/// user and item has at least k (dropping a user can push an item under k and back again, hence the
/// loop). Users and items that remain keep their relative order; indices are compacted only when
/// something was dropped.
/// </summary>
internal static class CoreFilter
{
    public static FilteredInteractions Apply(Interactions m, int k)
    {
        if (k <= 0) return FilteredInteractions.Unfiltered(m);
        var userAlive = Enumerable.Repeat(true, m.Rows).ToArray();
        var itemAlive = Enumerable.Repeat(true, m.ColumnCount).ToArray();
        var userDegree = new int[m.Rows];
        var itemDegree = new int[m.ColumnCount];
        bool changed = true;
        while (changed)
        {
            changed = false;
            Array.Clear(userDegree);
            Array.Clear(itemDegree);
            for (int u = 0; u < m.Rows; u++)
            {
                if (!userAlive[u]) continue;
                foreach (var i in m.Row(u))
                    if (itemAlive[i]) { userDegree[u]++; itemDegree[i]++; }
            }
            for (int u = 0; u < m.Rows; u++)
                if (userAlive[u] && userDegree[u] < k) { userAlive[u] = false; changed = true; }
            for (int i = 0; i < m.ColumnCount; i++)
                if (itemAlive[i] && itemDegree[i] < k) { itemAlive[i] = false; changed = true; }
        }

        var users = Enumerable.Range(0, m.Rows).Where(u => userAlive[u]).ToArray();
        var items = Enumerable.Range(0, m.ColumnCount).Where(i => itemAlive[i]).ToArray();
        if (users.Length == m.Rows && items.Length == m.ColumnCount) return FilteredInteractions.Unfiltered(m);
        var itemMap = Enumerable.Repeat(-1, m.ColumnCount).ToArray();
        for (int j = 0; j < items.Length; j++) itemMap[items[j]] = j;
        return new FilteredInteractions(InteractionSubset.Reindex(m, users, itemMap, items.Length), users, items);
    }
}
