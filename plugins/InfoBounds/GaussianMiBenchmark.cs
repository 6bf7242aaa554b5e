using System.Composition;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using TorchSharp;
using Untangle.Contracts.Components;
using Untangle.Contracts.Settings;
using static TorchSharp.torch;

namespace Untangle.Plugins.InfoBounds;

/// <summary>
/// `bench mi-gaussian`: every estimator against the closed form on jointly Gaussian data
/// (<see cref="CorrelatedGaussian"/>) for each d in dims and ρ in rhos, over the seeds. CLUB's q_θ is
/// fitted first (fit_steps Adam steps on fresh batches, as the CLUB notebook); then each estimate is
/// the mean over eval_batches fresh batches. CLUB(q*) is the value CLUB takes with the best q it can
/// represent (<see cref="CorrelatedGaussian.ClubWithBestQ"/>), a second known truth for the CLUB columns. The table gives mean ± s.e. over seeds, and the checks the
/// issue asks for: CLUB near or above the truth (and near 0 at ρ = 0), InfoNCE below log(batch) and below
/// the truth plus a tolerance, and growing with ρ.
/// </summary>
[ExportComponent(ComponentKind.Benchmark, InfoBoundsPlugin.GaussianBenchmark,
    Description = "CLUB, CLUBSample, InfoNCE and learned-critic InfoNCE against I = -(d/2) log(1 - rho^2) on correlated Gaussians",
    Citation = InfoBoundsPlugin.ClubCitation)]
[Shared]
public sealed class GaussianMiBenchmark : IBenchmark
{
    private static readonly string[] Estimators = [InfoBoundsPlugin.Club, InfoBoundsPlugin.ClubSample, InfoBoundsPlugin.InfoNce, InfoBoundsPlugin.LearnedInfoNce];
    private static readonly string[] LowerBounds = [InfoBoundsPlugin.InfoNce, InfoBoundsPlugin.LearnedInfoNce];

    public IReadOnlyList<SettingSpec> Options { get; } =
    [
        SettingSpec.IntList("dims", [1, 5, 20], "dimensions d"),
        SettingSpec.FloatList("rhos", [0, 0.5, 0.9], "per-dimension correlations ρ"),
        SettingSpec.Int("batch_size", 128, "rows per batch, N (InfoNCE cannot exceed log N)"),
        SettingSpec.Int("fit_steps", 1500, "Adam steps fitting CLUB's q(y|x) before it is read"),
        SettingSpec.Float("learning_rate", 5e-3, "Adam learning rate for q(y|x) (the CLUB notebook: 5e-3)"),
        SettingSpec.Int("eval_batches", 20, "fresh batches each estimate is averaged over"),
        SettingSpec.Int("hidden_size", 256, "CLUB's hidden_size setting (MLPs of width hidden_size/2)"),
        SettingSpec.Float("temperature", 0.5, "InfoNCE's τ"),
        SettingSpec.Float("tolerance", 0.1, "nats of slack in the printed checks"),
        SettingSpec.Int("threads", 1, "libtorch CPU threads (0: libtorch's default); the networks are tiny, so one thread is fastest"),
    ];

    public void Run(BenchmarkContext context)
    {
        var o = context.Options;
        var dims = o.IntList("dims");
        var rhos = o.FloatList("rhos");
        int batch = Positive(o.Int("batch_size"), "batch_size");
        int fitSteps = o.Int("fit_steps");
        int evalBatches = Positive(o.Int("eval_batches"), "eval_batches");
        double tolerance = o.Float("tolerance");
        if (o.Int("threads") > 0) set_num_threads(o.Int("threads"));

        var cells = new List<Cell>();
        foreach (int d in dims)
            foreach (double rho in rhos)
            {
                var truth = new CorrelatedGaussian(d, rho);
                var values = Estimators.ToDictionary(e => e, _ => new List<double>());
                foreach (int seed in context.Seeds)
                {
                    context.Cancel.ThrowIfCancellationRequested();
                    random.manual_seed(seed);
                    foreach (var (name, value) in Measure(truth, batch, fitSteps, evalBatches, o, context))
                        values[name].Add(value);
                }
                var cell = new Cell(d, rho, truth.TrueInformation, truth.ClubWithBestQ, values);
                cells.Add(cell);
                context.Logger.LogInformation("d={D} rho={Rho}: true {True:F3}; {Values}", d, rho, cell.Truth,
                    string.Join(" ", Estimators.Select(e => $"{e}={cell.Mean(e):F3}")));
            }

        var table = Render(cells, batch, fitSteps, evalBatches, context.Seeds, tolerance);
        context.Output.Write(table);
        Directory.CreateDirectory(context.OutFolder);
        File.WriteAllText(Path.Combine(context.OutFolder, "bench.txt"), table);
        File.WriteAllText(Path.Combine(context.OutFolder, "bench.json"), Json(cells, batch, context.Seeds).ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    private static IEnumerable<(string Name, double Value)> Measure(
        CorrelatedGaussian truth, int batch, int fitSteps, int evalBatches, SettingValues o, BenchmarkContext context)
    {
        var device = context.Device;
        var dims = new Dictionary<string, object> { ["x_dim"] = truth.Dimension, ["y_dim"] = truth.Dimension };
        var clubSettings = new Dictionary<string, string> { ["hidden_size"] = o.Int("hidden_size").ToString(CultureInfo.InvariantCulture) };
        var nceSettings = new Dictionary<string, string> { ["temperature"] = SettingSpec.Format(o.Float("temperature")) };
        var estimators = new List<(string, IMutualInformationEstimator)>
        {
            (InfoBoundsPlugin.Club, Create(new ClubFactory(), clubSettings, dims, context)),
            (InfoBoundsPlugin.ClubSample, Create(new ClubSampleFactory(), clubSettings, dims, context)),
            (InfoBoundsPlugin.InfoNce, Create(new InfoNceFactory(), nceSettings, dims, context)),
            // The learned critic is fitted like CLUB's q: fit_steps Adam steps on fresh batches.
            (InfoBoundsPlugin.LearnedInfoNce, Create(new LearnedInfoNceFactory(), [], dims, context)),
        };
        try
        {
            foreach (var (_, estimator) in estimators)
                Fit(estimator, truth, batch, fitSteps, o.Float("learning_rate"), device);
            var results = new List<(string, double)>();
            foreach (var (name, estimator) in estimators)
            {
                double sum = 0;
                for (int b = 0; b < evalBatches; b++)
                {
                    using var scope = NewDisposeScope();
                    using var noGrad = no_grad();
                    var (x, y) = truth.Sample(batch, device);
                    sum += estimator.Estimate(x, y).item<float>();
                }
                results.Add((name, sum / evalBatches));
            }
            return results;
        }
        finally
        {
            foreach (var (_, estimator) in estimators) estimator.Dispose();
        }
    }

    /// <summary>Fits the estimator's own network (if any) on fresh batches with Adam.</summary>
    public static void Fit(IMutualInformationEstimator estimator, CorrelatedGaussian truth, int batch, int steps, double learningRate, Device device)
    {
        if (estimator.Module is null || steps <= 0) return;
        estimator.Module.train();
        using var optimizer = optim.Adam(estimator.Module.parameters(), lr: learningRate);
        for (int s = 0; s < steps; s++)
        {
            using var scope = NewDisposeScope();
            var (x, y) = truth.Sample(batch, device);
            optimizer.zero_grad();
            estimator.LearningLoss(x, y)!.backward();
            optimizer.step();
        }
        estimator.Module.eval();
    }

    private static IMutualInformationEstimator Create(
        IMutualInformationEstimatorFactory factory, Dictionary<string, string> settings, Dictionary<string, object> arguments, BenchmarkContext context)
    {
        var known = factory.Settings.Select(s => s.Name).ToHashSet();
        return factory.Create(new ComponentContext
        {
            Slot = "mi",
            Settings = SettingValues.Resolve("hyper.mi", factory.Settings, settings.Where(kv => known.Contains(kv.Key)).ToDictionary()),
            Arguments = arguments,
            Device = context.Device,
            Logger = context.Logger,
        });
    }

    private sealed record Cell(int D, double Rho, double Truth, double ClubBestQ, Dictionary<string, List<double>> Values)
    {
        public double Mean(string estimator) => Values[estimator].Average();

        /// <summary>Standard error over seeds (population std / √n), as the host's bench tables.</summary>
        public double Se(string estimator)
        {
            var v = Values[estimator];
            double mean = v.Average();
            return Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / v.Count) / Math.Sqrt(v.Count);
        }
    }

    private static string Render(List<Cell> cells, int batch, int fitSteps, int evalBatches, IReadOnlyList<int> seeds, double tolerance)
    {
        string F(double v) => v.ToString("F3", CultureInfo.InvariantCulture);
        double logN = Math.Log(batch);
        var sb = new StringBuilder();
        sb.Append($"benchmark mi-gaussian: estimates in nats, mean ± s.e. over seeds {string.Join(",", seeds)}; batch N = {batch} (log N = {F(logN)}), ");
        sb.Append($"q and the learned critic fitted {fitSteps} steps, {evalBatches} evaluation batches; CLUB(q*) = d·ρ²/max(1 − ρ², e^−1), CLUB with the best q its tanh allows\n");
        sb.Append($"{"d",3} {"rho",5} {"true I",8} {"CLUB(q*)",9}");
        foreach (var e in Estimators) sb.Append($"  {e,17}");
        sb.Append('\n');
        foreach (var c in cells)
        {
            sb.Append($"{c.D,3} {c.Rho.ToString("0.0##", CultureInfo.InvariantCulture),5} {F(c.Truth),8} {F(c.ClubBestQ),9}");
            foreach (var e in Estimators) sb.Append($"  {F(c.Mean(e)),8} ± {F(c.Se(e)),6}");
            sb.Append('\n');
        }

        // The checks the issue states, with the tolerance printed so a reader can judge them.
        var failures = new List<string>();
        foreach (var c in cells)
        {
            string at = $"d={c.D} rho={c.Rho.ToString(CultureInfo.InvariantCulture)}";
            foreach (var club in new[] { InfoBoundsPlugin.Club, InfoBoundsPlugin.ClubSample })
            {
                if (c.Mean(club) < c.Truth - tolerance) failures.Add($"{at}: {club} {F(c.Mean(club))} is below the truth {F(c.Truth)} by more than {F(tolerance)}");
                if (c.Rho == 0 && Math.Abs(c.Mean(club)) > tolerance) failures.Add($"{at}: {club} {F(c.Mean(club))} is not within {F(tolerance)} of 0 for independent inputs");
            }
            foreach (var lower in LowerBounds)
            {
                double nce = c.Mean(lower);
                if (nce > logN) failures.Add($"{at}: {lower} {F(nce)} exceeds log N = {F(logN)}");
                if (nce > c.Truth + tolerance) failures.Add($"{at}: {lower} {F(nce)} exceeds the truth {F(c.Truth)} by more than {F(tolerance)}");
            }
        }
        foreach (var group in cells.GroupBy(c => c.D))
        {
            var ordered = group.OrderBy(c => c.Rho).ToList();
            for (int i = 1; i < ordered.Count; i++)
                foreach (var lower in LowerBounds)
                    if (ordered[i].Mean(lower) <= ordered[i - 1].Mean(lower))
                        failures.Add($"d={group.Key}: {lower} does not grow from rho={ordered[i - 1].Rho} to rho={ordered[i].Rho}");
        }
        sb.Append($"checks (tolerance {F(tolerance)} nats): CLUB >= I - tol, |CLUB| <= tol at rho = 0, both InfoNCEs <= min(log N, I + tol) and grow with rho: ");
        sb.Append(failures.Count == 0 ? "all hold\n" : $"{failures.Count} fail\n" + string.Concat(failures.Select(f => $"  {f}\n")));
        return sb.ToString();
    }

    private static JsonObject Json(List<Cell> cells, int batch, IReadOnlyList<int> seeds) => new()
    {
        ["benchmark"] = InfoBoundsPlugin.GaussianBenchmark,
        ["batch_size"] = batch,
        ["seeds"] = new JsonArray([.. seeds.Select(s => (JsonNode)s)]),
        ["cells"] = new JsonArray([.. cells.Select(c => (JsonNode)new JsonObject
        {
            ["d"] = c.D,
            ["rho"] = c.Rho,
            ["true"] = c.Truth,
            ["club_best_q"] = c.ClubBestQ,
            ["estimates"] = new JsonObject(Estimators.Select(e => KeyValuePair.Create(e, (JsonNode?)new JsonObject
            {
                ["mean"] = c.Mean(e),
                ["se"] = c.Se(e),
                ["per_seed"] = new JsonArray([.. c.Values[e].Select(v => (JsonNode)v)]),
            }))),
        })]),
    };

    private static int Positive(int value, string name) =>
        value > 0 ? value : throw new ArgumentException($"bench {InfoBoundsPlugin.GaussianBenchmark}: {name} = {value}; expected a positive integer");
}
