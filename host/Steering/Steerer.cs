using Untangle.Host.Composition;
using Untangle.Host.Disentanglement;

namespace Untangle.Host.Steering;

/// <summary>One axis as moved: its decorrelated direction and its cosines with each locked axis before and after decorrelation.</summary>
internal sealed record MovedAxis(SteeringAxis Axis, double By, double[] Direction, IReadOnlyList<(string Locked, double Raw, double Decorrelated)> Cosines);

/// <summary>A recommended item: rank (1-based), the data set's item id, its title, its score.</summary>
internal sealed record RankedItem(int Rank, string Item, string Title, double Score);

/// <summary>What `steer` shows: the user's top-N and the attributes' shares of it, before and after the move.</summary>
internal sealed record SteerResult(string User, IReadOnlyList<RankedItem> Before, IReadOnlyList<RankedItem> After,
    double[] SharesBefore, double[] SharesAfter, IReadOnlyList<MovedAxis> Moves, IReadOnlyList<string> Locked);

/// <summary>
/// Steering a user's list, TL-GAN's last step (Shaobo Guan, 2018, github.com/SummitKwan/transparent_latent_gan:
/// move a latent code along a feature axis and generate again): the user's code z moves to
/// <code>
///     z' = z + Σ_a δ_a · s_a · a'          a' = the axis decorrelated from the locked axes, s_a = its step (<see cref="SteeringAxis.Step"/>)
/// </code>
/// and both codes go through the method's decoder; the lists are the top-N items by score outside the
/// user's known items. The step is the raw axis's: decorrelation turns the direction, not the length.
/// </summary>
internal sealed class Steerer
{
    private readonly Dictionary<string, int> _userRow;

    private Steerer(TrainedRun run, MeasuredUsers users, double[][] codes, ItemAttributes attributes, SteeringAxes axes)
    {
        Run = run;
        Users = users;
        Codes = codes;
        Attributes = attributes;
        Axes = axes;
        _userRow = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int r = 0; r < users.Count; r++) _userRow[run.Dataset.UserIds[users.DatasetIndex[r]]] = r;
    }

    public TrainedRun Run { get; }
    public MeasuredUsers Users { get; }
    public double[][] Codes { get; }
    public ItemAttributes Attributes { get; }
    public SteeringAxes Axes { get; }

    /// <summary>Encodes every user of the run and fits the axes on them (or on <paramref name="fitRows"/> only).</summary>
    public static Steerer Open(TrainedRun run, int minTagItems = ItemAttributes.DefaultMinTagItems, IReadOnlyCollection<int>? fitRows = null)
    {
        var users = run.AllUsers();
        var codes = users.Encode(run.Users, run.Device, 256);
        var attributes = ItemAttributes.Of(run.Dataset, run.Split, minTagItems);
        var rows = (fitRows ?? Enumerable.Range(0, users.Count).ToArray()).ToArray();
        var axes = SteeringAxes.Fit(rows.Select(r => codes[r]).ToArray(), rows.Select(r => users.Known.Row(r).ToArray()).ToArray(),
            attributes, run.Users, run.Experiment.Run.Seed);
        return new Steerer(run, users, codes, attributes, axes);
    }

    public string UserId(int row) => Run.Dataset.UserIds[Users.DatasetIndex[row]];

    /// <summary>The row of the data set's user id <paramref name="id"/>; an unknown id fails with one line giving the valid ones.</summary>
    public int Row(string id)
    {
        if (_userRow.TryGetValue(id, out var row)) return row;
        var ids = Enumerable.Range(0, Users.Count).Select(UserId).Order(StringComparer.Ordinal).ToList();
        var shown = ids.Count <= 30 ? string.Join(", ", ids) : $"{string.Join(", ", ids.Take(20))}, … {ids[^1]} ({ids.Count} in all)";
        throw new ConfigurationException($"unknown user '{id}' in run {Run.Folder}; users with a code: {shown}");
    }

    public SteeringAxis Axis(string name) => Axes.TryGet(name, out var axis) ? axis
        : throw new ConfigurationException($"unknown axis '{name}' in run {Run.Folder}; axes: {Axes.Describe()}");

    /// <summary>Resolves and decorrelates the moves against the locked axes.</summary>
    public IReadOnlyList<MovedAxis> Plan(IReadOnlyList<(string Axis, double By)> moves, IReadOnlyList<string> locks)
    {
        var locked = locks.Select(Axis).ToList();
        foreach (var (name, _) in moves)
            if (locks.Contains(name))
                throw new ConfigurationException($"axis '{name}' is both moved (--axis) and locked (--lock); a locked axis stays where it is");
        var basis = Decorrelation.Basis(locked.Select(l => l.Direction));
        var plan = new List<MovedAxis>();
        foreach (var (name, by) in moves)
        {
            var axis = Axis(name);
            var direction = Decorrelation.Orthogonal(axis.Direction, basis)
                ?? throw new ConfigurationException($"axis '{name}' lies in the span of the locked axes ({string.Join(", ", locks)}); unlock one of them to move it");
            plan.Add(new MovedAxis(axis, by, direction,
                locked.Select(l => (l.Name, Decorrelation.Cosine(axis.Direction, l.Direction), Decorrelation.Cosine(direction, l.Direction))).ToList()));
        }
        return plan;
    }

    /// <summary>z' = z + Σ δ·s·a'.</summary>
    public static float[] Move(double[] code, IReadOnlyList<MovedAxis> plan)
    {
        var moved = (double[])code.Clone();
        foreach (var m in plan)
        {
            double length = m.By * m.Axis.Step;
            for (int i = 0; i < moved.Length; i++) moved[i] += length * m.Direction[i];
        }
        return moved.Select(x => (float)x).ToArray();
    }

    /// <summary>The top-<paramref name="n"/> items by score outside <paramref name="known"/> (ties: lower index first).</summary>
    /// <remarks>A bounded heap (the worst kept item on top), not a sort of every item: the bench ranks thousands of lists.</remarks>
    public static int[] Top(float[] scores, ReadOnlySpan<int> known, int n)
    {
        var excluded = new HashSet<int>(known.ToArray());
        // Priority (score, −index): the heap's minimum is the worst kept item (lowest score, then highest index).
        var kept = new PriorityQueue<int, (float Score, int NegativeIndex)>(n + 1);
        for (int i = 0; i < scores.Length; i++)
        {
            if (excluded.Contains(i)) continue;
            kept.Enqueue(i, (scores[i], -i));
            if (kept.Count > n) kept.Dequeue();
        }
        var top = new int[kept.Count];
        for (int r = top.Length - 1; r >= 0; r--) top[r] = kept.Dequeue();
        return top;
    }

    public SteerResult Steer(string user, IReadOnlyList<(string Axis, double By)> moves, IReadOnlyList<string> locks, int top)
    {
        if (top < 1) throw new ConfigurationException($"--top {top}: expected a positive number of items");
        int row = Row(user);
        var plan = Plan(moves, locks);
        var code = Codes[row];
        var scores = Run.Decode([code.Select(x => (float)x).ToArray(), Move(code, plan)]);
        var known = Users.Known.Row(row);
        var before = Top(scores[0], known, top);
        var after = Top(scores[1], known, top);
        return new SteerResult(user, Ranked(before, scores[0]), Ranked(after, scores[1]),
            Attributes.Shares(before), Attributes.Shares(after), plan, locks);
    }

    private List<RankedItem> Ranked(int[] items, float[] scores) =>
        items.Select((i, r) => new RankedItem(r + 1, Run.Dataset.ItemIds[Run.Split.ItemToDataset[i]], Attributes.Titles[i], scores[i])).ToList();
}
