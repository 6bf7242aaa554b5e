using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Serilog;
using Serilog.Extensions.Logging;
using Untangle.Host.Composition;
using Untangle.Host.Steering;
using Untangle.Host.Store;

namespace Untangle.Host.Cli;

/// <summary>
/// `steer RUN [--user U] [--axis NAME --by DELTA]... [--lock NAME]... [--top 20] [--json] [--html DIR]`:
/// opens a finished run (a run folder, or a run id or prefix in the store), fits its steering axes,
/// moves the user's code and prints the top-N before and after with titles and each attribute's share
/// of the list; --json prints the same as JSON; --html writes the self-contained steering page.
/// </summary>
public static class SteerCommand
{
    public static int Execute(CommandLine line)
    {
        if (line.Positional.Count != 1) throw new UsageException("steer takes one run: a run folder, or a run id (or prefix) from `untangle runs`");
        Log.Logger = Logging.ToStandardError();
        using var loggers = new SerilogLoggerFactory(Log.Logger);
        var (_, catalog) = UntangleCommand.LoadPlugins(line, loggers.CreateLogger("Untangle.Plugins"));
        var folder = Folder(line);
        using var run = TrainedRun.Open(folder, catalog, loggers);
        var steerer = Steerer.Open(run);
        var user = line.User ?? steerer.UserId(0);

        if (line.Html is not null)
        {
            steerer.Row(user);
            steerer.Plan(line.Moves, line.Locks); // the same checks as the terminal's
            Runs.OutputFolder.Ensure(line.Html, "--html", "the steering page");
            var page = SteeringPage.Write(steerer, line.Html, user, line.Top, line.Moves, line.Locks);
            Console.WriteLine($"page: {page}");
            return 0;
        }

        var result = steerer.Steer(user, line.Moves, line.Locks, line.Top);
        if (line.Json) Console.WriteLine(Json(run, steerer, result).ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        else Print(run, steerer, result);
        return 0;
    }

    /// <summary>A run folder (holding config.json) or a run id / id prefix in the store.</summary>
    private static string Folder(CommandLine line)
    {
        var target = line.Positional[0];
        if (Directory.Exists(target)) return target;
        var storePath = line.Store ?? CommandLine.DefaultStore;
        if (!File.Exists(storePath))
            throw new ConfigurationException($"'{target}' is neither a run folder nor a run id: there is no folder of that name and no store at {storePath}");
        using var store = ExperimentStore.Open(storePath);
        return store.Resolve(target).Folder;
    }

    internal static JsonObject Json(TrainedRun run, Steerer steerer, SteerResult result)
    {
        JsonArray List(IReadOnlyList<RankedItem> items) => new(items.Select(i => (JsonNode)new JsonObject
        {
            ["rank"] = i.Rank, ["item"] = i.Item, ["title"] = i.Title, ["score"] = Math.Round(i.Score, 6),
        }).ToArray());
        JsonObject Shares(double[] shares) => new(steerer.Attributes.All.Select((a, k) => KeyValuePair.Create(a.Name, (JsonNode?)Math.Round(shares[k], 6))));
        var moved = result.Moves.ToDictionary(m => m.Axis.Name);
        var axes = new JsonArray();
        foreach (var axis in steerer.Axes.All.Concat(result.Moves.Select(m => m.Axis).Where(a => a.Kind == AxisKind.Micro)))
        {
            var node = new JsonObject
            {
                ["name"] = axis.Name, ["kind"] = axis.KindName, ["attribute"] = axis.Attribute,
                ["held_out_r2"] = axis.HeldOutR2 is { } r2 ? Math.Round(r2, 6) : null, ["step"] = Math.Round(axis.Step, 6), ["spread"] = Math.Round(axis.Spread, 6),
                ["locked"] = result.Locked.Contains(axis.Name),
            };
            if (moved.TryGetValue(axis.Name, out var m))
            {
                node["by"] = m.By;
                node["cosines"] = new JsonArray(m.Cosines.Select(c => (JsonNode)new JsonObject
                {
                    ["locked"] = c.Locked, ["raw"] = Math.Round(c.Raw, 6), ["decorrelated"] = Math.Round(c.Decorrelated, 6),
                }).ToArray());
            }
            axes.Add(node);
        }
        return new JsonObject
        {
            ["run"] = run.Folder, ["method"] = run.Experiment.MethodName, ["representation"] = run.Users.Doc, ["user"] = result.User,
            ["before"] = List(result.Before), ["after"] = List(result.After),
            ["shares_before"] = Shares(result.SharesBefore), ["shares_after"] = Shares(result.SharesAfter),
            ["axes"] = axes,
        };
    }

    private static void Print(TrainedRun run, Steerer steerer, SteerResult result)
    {
        static string F(double x) => x.ToString("0.000", CultureInfo.InvariantCulture);
        Console.WriteLine($"run {run.Folder}: {run.Experiment.MethodName}, {run.Users.Doc}; user {result.User}");
        foreach (var m in result.Moves)
        {
            var r2 = m.Axis.HeldOutR2 is { } v ? $", held-out R² {F(v)}" : "";
            Console.WriteLine($"axis {m.Axis.Name} ({m.Axis.KindName}{r2}): by {m.By.ToString("+0.###;-0.###", CultureInfo.InvariantCulture)} steps of {m.Axis.Step.ToString("G3", CultureInfo.InvariantCulture)} (users' σ along it {m.Axis.Spread.ToString("G3", CultureInfo.InvariantCulture)})");
            foreach (var (locked, raw, decorrelated) in m.Cosines)
                Console.WriteLine($"  cosine with locked {locked}: raw {F(raw)}, decorrelated {F(decorrelated)}");
        }
        int width = Math.Min(50, Math.Max(10, result.Before.Concat(result.After).Max(i => i.Title.Length)));
        static string Cut(string s, int w) => s.Length <= w ? s.PadRight(w) : s[..(w - 1)] + "…";
        Console.WriteLine();
        Console.WriteLine($"rank  {Cut("before", width)}  after");
        for (int r = 0; r < Math.Max(result.Before.Count, result.After.Count); r++)
        {
            var b = r < result.Before.Count ? result.Before[r].Title : "";
            var a = r < result.After.Count ? result.After[r].Title : "";
            Console.WriteLine($"{r + 1,4}  {Cut(b, width)}  {a}");
        }
        Console.WriteLine();
        Console.WriteLine($"share of the top-{result.Before.Count}  before  after");
        var shown = Enumerable.Range(0, steerer.Attributes.All.Count)
            .Where(k => result.SharesBefore[k] > 0 || result.SharesAfter[k] > 0)
            .OrderByDescending(k => Math.Abs(result.SharesAfter[k] - result.SharesBefore[k])).ThenBy(k => k);
        int nameWidth = Math.Max(20, steerer.Attributes.All.Max(a => a.Name.Length));
        foreach (var k in shown)
            Console.WriteLine($"{steerer.Attributes.All[k].Name.PadRight(nameWidth)}  {F(result.SharesBefore[k])}  {F(result.SharesAfter[k])}");
    }
}
