using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Untangle.Contracts.Analysis;
using Untangle.Contracts.Data;
using Untangle.Contracts.Training;
using Untangle.Host.Composition;
using static TorchSharp.torch;

namespace Untangle.Host.Disentanglement;

/// <summary>
/// The disentanglement lab's run analysis: for every user representation the method hands out
/// (<see cref="TrainingGraph.Representations"/>) and every metric of eval.disentanglement, the score
/// of the codes against the data set's <see cref="UserFactorTruth"/>, and the same score after a
/// random rotation of the codes (<see cref="RandomRotation"/>, suffix "_rotated"). Keys are
/// "&lt;representation&gt;.&lt;metric key&gt;" (e.g. "users.mig", "users.mig_rotated"), written under
/// metrics.json's "disentanglement" section beside what the method itself reports there. The users
/// are <see cref="MeasuredUsers"/>; a seeded two thirds fit the metrics' estimators and the other third
/// is held out for their scores, as disentanglement_lib's separate train and test points.
/// </summary>
internal static class DisentanglementSuite
{
    public const string Section = "disentanglement";
    public const double FitFraction = 2.0 / 3.0;

    /// <summary>The suite's values, or none (with the reason logged) where there is nothing to measure.</summary>
    public static IReadOnlyDictionary<string, double> Measure(ResolvedExperiment experiment, TrainingGraph graph, Dataset dataset, Split split,
        Device device, ILogger log)
    {
        var result = new Dictionary<string, double>(StringComparer.Ordinal);
        if (experiment.DisentanglementMetrics.Count == 0) return result;
        var truth = UserFactorTruth.Of(dataset);
        var users = graph.Representations.Where(r => r.Of == RepresentationOf.Users).ToList();
        if (truth is null)
        {
            log.LogDebug("data set {Dataset} has no user factor truth: no disentanglement metrics", dataset.Name);
            return result;
        }
        if (users.Count == 0)
        {
            log.LogInformation("method {Method} hands out no user representation: no disentanglement metrics", experiment.MethodName);
            return result;
        }
        if (!truth.Independent)
            log.LogInformation("the user factors of {Dataset} are not independent (dataset.user_factors=dirichlet); the metrics assume they are", dataset.Name);

        int seed = experiment.Run.Seed;
        foreach (var representation in users)
        {
            var clock = Stopwatch.StartNew();
            var measured = MeasuredUsers.Of(split, representation.FoldsIn, experiment.Run.DisentanglementUsers, seed);
            if (measured.Count < 6)
            {
                log.LogWarning("representation {Representation}: {Count} users to measure, fewer than 6: no disentanglement metrics", representation.Name, measured.Count);
                continue;
            }
            var codes = measured.Encode(representation, device, experiment.Run.EvalBatchSize);
            var data = FactorCodesOf(codes, truth, measured, seed);
            var rotated = data.WithCodes(RandomRotation.Apply(codes, RandomRotation.Draw(data.CodeCount, seed)));
            string prefix = representation.Name + ".";
            result[prefix + "measured_users"] = data.Rows;
            result[prefix + "codes"] = data.CodeCount;
            result[prefix + "factors"] = data.FactorCount;
            foreach (var choice in experiment.DisentanglementMetrics)
            {
                var metricClock = Stopwatch.StartNew();
                foreach (var (key, value) in choice.Metric.Score(data)) result[prefix + key] = value;
                foreach (var (key, value) in choice.Metric.Score(rotated)) result[prefix + key + "_rotated"] = value;
                log.LogDebug("{Metric} of {Representation} and its rotation in {Seconds:F1} s", choice.Name, representation.Name, metricClock.Elapsed.TotalSeconds);
            }
            log.LogInformation("disentanglement of {Representation} ({Users} users, {Codes} codes, {Factors} factors) in {Seconds:F1} s",
                representation.Name, data.Rows, data.CodeCount, data.FactorCount, clock.Elapsed.TotalSeconds);
        }
        return result;
    }

    internal static FactorCodes FactorCodesOf(double[][] codes, UserFactorTruth truth, MeasuredUsers users, int seed)
    {
        var order = Enumerable.Range(0, users.Count).ToArray();
        new Random(seed).Shuffle(order);
        int fit = (int)Math.Round(order.Length * FitFraction);
        return new FactorCodes
        {
            Codes = codes,
            Factors = users.DatasetIndex.Select(u => truth.Values[u]).ToArray(),
            Levels = users.DatasetIndex.Select(u => truth.Levels[u]).ToArray(),
            LevelCounts = truth.LevelCounts,
            FactorNames = truth.Names,
            FitRows = [.. order[..fit].Order()],
            ScoreRows = [.. order[fit..].Order()],
            Seed = seed,
            IndependentFactors = truth.Independent,
        };
    }
}
