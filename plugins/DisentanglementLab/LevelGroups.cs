namespace Untangle.Plugins.DisentanglementLab;

/// <summary>
/// Rows grouped by the level of each factor: the users "with factor k fixed at v", from which the
/// sampling-based scores draw their batches (see <see cref="DisentanglementLabPlugin"/> on why observed
/// users stand in for disentanglement_lib's simulator when the factors are independent).
/// </summary>
internal sealed class LevelGroups
{
    private readonly int[][][] _groups;
    private readonly int[] _rowsWithGroup;

    public LevelGroups(int[][] levels, int[] rows, int factors)
    {
        _groups = new int[factors][][];
        for (int f = 0; f < factors; f++)
            _groups[f] = rows.GroupBy(r => levels[r][f]).Where(g => g.Count() >= 2).Select(g => g.ToArray()).ToArray();
        _rowsWithGroup = _groups.Select(g => g.Sum(x => x.Length)).ToArray();
        Usable = Enumerable.Range(0, factors).Where(f => _groups[f].Length > 0).ToArray();
    }

    /// <summary>Factors with at least one level held by two rows or more (a batch can fix them).</summary>
    public int[] Usable { get; }

    /// <summary>
    /// <paramref name="size"/> rows sharing factor <paramref name="factor"/>'s level, the level taken as a
    /// random row's (so levels come in proportion to how often they occur, as sampling a factor value
    /// from its prior), drawn with replacement.
    /// </summary>
    public int[] Batch(int factor, int size, Random random)
    {
        var group = Group(factor, random);
        var batch = new int[size];
        for (int i = 0; i < size; i++) batch[i] = group[random.Next(group.Length)];
        return batch;
    }

    /// <summary>Two rows that share factor <paramref name="factor"/>'s level (a random row's), drawn with replacement.</summary>
    public (int First, int Second) Pair(int factor, Random random)
    {
        var group = Group(factor, random);
        return (group[random.Next(group.Length)], group[random.Next(group.Length)]);
    }

    private int[] Group(int factor, Random random)
    {
        var groups = _groups[factor];
        int pick = random.Next(_rowsWithGroup[factor]);
        foreach (var g in groups)
        {
            if (pick < g.Length) return g;
            pick -= g.Length;
        }
        return groups[^1];
    }
}
