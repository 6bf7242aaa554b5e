using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Untangle.Contracts.Analysis;

namespace Untangle.Host.Steering;

/// <summary>`bench`'s "steer" settings: evaluation users, the steps δ, the list length.</summary>
public sealed record SteerBenchSettings(int Users, IReadOnlyList<double> Steps, int Top)
{
    public static SteerBenchSettings Default { get; } = new(200, [-3, -2, -1, 0, 1, 2, 3], 20);
}

/// <summary>One axis's controllability (means over the evaluation users).</summary>
internal sealed record AxisControl(string Axis, string Set, string Target, double Monotonicity, double SideEffect, double Survival, double Gain, double TargetChange)
{
    /// <summary>Side effects per unit of target change: how much the other attributes move for each unit the target moves (lower is more precise).</summary>
    public double SidePerTarget => TargetChange > 0 ? SideEffect / TargetChange : double.NaN;
}

/// <summary>
/// How precisely a run's axes control its lists (`bench steer`). The run's users are split: up to
/// <see cref="SteerBenchSettings.Users"/> (at most a third) are held out, the axes are fitted on the
/// rest. For each axis of three sets and each held-out user, the code moves by every step δ and the
/// top-N is re-ranked:
/// <list type="bullet">
/// <item>glm: the fitted axes of the category attributes (genres, synthetic categories), as fitted;</item>
/// <item>glm-decorrelated: each of them decorrelated against all the other category axes (all locked,
/// but one when their shares sum to one: <see cref="OthersLocked"/>);</item>
/// <item>native: the method's own axes (MacridVAE's concepts), each aimed at the category its items lift most.</item>
/// </list>
/// Per axis: monotonicity, the Spearman correlation between δ and the target attribute's share of the
/// top-N (a user whose share never changes counts 0: no control); side effects, the mean |share(δ) −
/// share(0)| of the other category attributes over δ ≠ 0; survival, the share of the unsteered list
/// still in the list at δ = 0 (a sanity check: 1); gain, share(δ_max) − share(0) of the target; and
/// precision, side effects over the mean |share(δ) − share(0)| of the target over δ ≠ 0 (how much the
/// other attributes move per unit the target moves; lower is more precise).
/// </summary>
internal static class Controllability
{
    public static IReadOnlyList<AxisControl> Measure(TrainedRun run, SteerBenchSettings settings)
    {
        var all = run.AllUsers();
        var order = Enumerable.Range(0, all.Count).ToArray();
        new Random(run.Experiment.Run.Seed).Shuffle(order);
        int held = Math.Min(settings.Users, all.Count / 3);
        var evaluation = order[..held];
        var steerer = Steerer.Open(run, fitRows: order[held..]);
        var categories = steerer.Attributes.All.Select((a, k) => (a.Name, k)).Where(x => !x.Name.StartsWith("tag:", StringComparison.Ordinal)).ToList();
        var fitted = steerer.Axes.All.Where(a => a.Kind == AxisKind.Fitted && categories.Any(c => c.Name == a.Name)).ToList();

        var unsteered = Unsteered(steerer, evaluation, settings.Top);
        var results = new List<AxisControl>();
        foreach (var axis in fitted)
            results.Add(One(steerer, evaluation, unsteered, settings, categories, axis, "glm", []));
        foreach (var axis in fitted)
            results.Add(One(steerer, evaluation, unsteered, settings, categories, axis, "glm-decorrelated", OthersLocked(axis, fitted)));
        foreach (var axis in steerer.Axes.All.Where(a => a.Kind == AxisKind.Native && a.Attribute is not null))
            results.Add(One(steerer, evaluation, unsteered, settings, categories, axis, "native", []));
        return results;
    }

    /// <summary>
    /// Every other category axis locked. Where the attributes' shares sum to one (one category per
    /// item, as the synthetic data), the other axes span the moved one and nothing would be left to move:
    /// then the axis with the most negative raw cosine gives way (is not locked), the category that
    /// has to lose share for the target to gain.
    /// </summary>
    private static List<string> OthersLocked(SteeringAxis axis, List<SteeringAxis> fitted)
    {
        var others = fitted.Where(f => f != axis).ToList();
        if (Decorrelation.Orthogonal(axis.Direction, Decorrelation.Basis(others.Select(o => o.Direction))) is null)
            others.Remove(others.MinBy(o => Decorrelation.Cosine(axis.Direction, o.Direction))!);
        return others.Select(o => o.Name).ToList();
    }

    /// <summary>Users decoded together: users × steps codes per batch, so a batch's scores stay a few MB.</summary>
    private const int UsersPerBatch = 64;

    private static AxisControl One(Steerer steerer, int[] users, IReadOnlyDictionary<int, int[]> unsteered, SteerBenchSettings settings,
        List<(string Name, int Index)> categories, SteeringAxis axis, string set, IReadOnlyList<string> locks)
    {
        var target = categories.Single(c => c.Name == axis.Attribute).Index;
        var others = categories.Where(c => c.Index != target).Select(c => c.Index).ToList();
        var steps = settings.Steps;
        int zero = steps.ToList().IndexOf(0);
        var plans = steps.Select(d => steerer.Plan([(axis.Name, d)], locks)).ToList();
        double monotonicity = 0, side = 0, survival = 0, gain = 0, change = 0;
        foreach (var batch in users.Chunk(UsersPerBatch))
        {
            var scores = steerer.Run.Decode(batch.SelectMany(u => plans.Select(p => Steerer.Move(steerer.Codes[u], p))).ToArray());
            for (int b = 0; b < batch.Length; b++)
            {
                int u = batch[b];
                var known = steerer.Users.Known.Row(u).ToArray();
                var lists = Enumerable.Range(0, steps.Count).Select(s => Steerer.Top(scores[b * steps.Count + s], known, settings.Top)).ToList();
                var shares = lists.Select(l => steerer.Attributes.Shares(l)).ToList();
                var targetShares = shares.Select(s => s[target]).ToList();
                if (targetShares.Distinct().Count() > 1) monotonicity += Correlation.Spearman(steps, targetShares);
                gain += targetShares[^1] - targetShares[zero];
                change += Enumerable.Range(0, steps.Count).Where(s => s != zero).Average(s => Math.Abs(targetShares[s] - targetShares[zero]));
                if (others.Count > 0)
                    side += Enumerable.Range(0, steps.Count).Where(s => s != zero)
                        .Average(s => others.Average(o => Math.Abs(shares[s][o] - shares[zero][o])));
                survival += (double)lists[zero].Intersect(unsteered[u]).Count() / unsteered[u].Length;
            }
        }
        int n = users.Length;
        return new AxisControl(axis.Name, set, categories[target].Name, monotonicity / n, side / n, survival / n, gain / n, change / n);
    }

    /// <summary>Each user's list from the unmoved code, decoded once for every axis.</summary>
    private static Dictionary<int, int[]> Unsteered(Steerer steerer, int[] users, int top)
    {
        var lists = new Dictionary<int, int[]>();
        foreach (var batch in users.Chunk(UsersPerBatch * 8))
        {
            var scores = steerer.Run.Decode(batch.Select(u => steerer.Codes[u].Select(x => (float)x).ToArray()).ToArray());
            for (int b = 0; b < batch.Length; b++) lists[batch[b]] = Steerer.Top(scores[b], steerer.Users.Known.Row(batch[b]), top);
        }
        return lists;
    }

    /// <summary>A table row per axis set: axes, mean monotonicity, share of axes with positive monotonicity, side effects, side effects per target change (ratio of the means), survival, gain.</summary>
    public static string Render(string run, IReadOnlyList<AxisControl> axes)
    {
        static string F(double x) => x.ToString("0.000", CultureInfo.InvariantCulture);
        var text = new StringBuilder();
        foreach (var set in axes.GroupBy(a => a.Set))
        {
            var list = set.ToList();
            text.AppendLine($"| {run} | {set.Key} | {list.Count} | {F(list.Average(a => a.Monotonicity))} | {list.Count(a => a.Monotonicity > 0)}/{list.Count} | "
                + $"{F(list.Average(a => a.SideEffect))} | {F(Ratio(list.Average(a => a.SideEffect), list.Average(a => a.TargetChange)))} | "
                + $"{F(list.Average(a => a.Survival))} | {F(list.Average(a => a.Gain))} |");
        }
        return text.ToString();
    }

    /// <summary>
    /// Per experiment and axis set, each column's run value (the set's mean over its axes, as <see cref="Render"/>)
    /// as mean ± standard error over the runs (seeds).
    /// </summary>
    public static string RenderOverSeeds(IReadOnlyList<(string Experiment, IReadOnlyList<AxisControl> Axes)> runs)
    {
        static string M(IEnumerable<double> values)
        {
            var (mean, se) = Cli.BenchCommand.Summary(values);
            return $"{mean.ToString("0.000", CultureInfo.InvariantCulture)} ± {se.ToString("0.000", CultureInfo.InvariantCulture)}";
        }
        var text = new StringBuilder("mean ± s.e. over seeds:\n");
        text.AppendLine("| experiment | axes | seeds | monotonicity | side effect | side per target | target gain |");
        text.AppendLine("|---|---|---|---|---|---|---|");
        foreach (var experiment in runs.GroupBy(r => r.Experiment))
            foreach (var set in experiment.SelectMany(r => r.Axes.Select(a => a.Set)).Distinct())
            {
                var perRun = experiment.Select(r => r.Axes.Where(a => a.Set == set).ToList()).Where(l => l.Count > 0).ToList();
                text.AppendLine($"| {experiment.Key} | {set} | {perRun.Count} | {M(perRun.Select(l => l.Average(a => a.Monotonicity)))} | "
                    + $"{M(perRun.Select(l => l.Average(a => a.SideEffect)))} | "
                    + $"{M(perRun.Select(l => Ratio(l.Average(a => a.SideEffect), l.Average(a => a.TargetChange))))} | "
                    + $"{M(perRun.Select(l => l.Average(a => a.Gain)))} |");
            }
        return text.ToString();
    }

    private static double Ratio(double side, double change) => change > 0 ? side / change : double.NaN;

    public const string Header = """
        | run | axes | n | monotonicity | positive | side effect | side per target | survival at 0 | target gain |
        |---|---|---|---|---|---|---|---|---|
        """;

    public static JsonArray Json(IReadOnlyList<AxisControl> axes) => new(axes.Select(a => (JsonNode)new JsonObject
    {
        ["axis"] = a.Axis, ["set"] = a.Set, ["target"] = a.Target, ["monotonicity"] = a.Monotonicity,
        ["side_effect"] = a.SideEffect, ["target_change"] = a.TargetChange,
        ["side_per_target"] = double.IsNaN(a.SidePerTarget) ? null : a.SidePerTarget, ["survival"] = a.Survival, ["gain"] = a.Gain,
    }).ToArray());
}
