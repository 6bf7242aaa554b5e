using System.Diagnostics;
using Microsoft.Extensions.Logging;
using TorchSharp;
using Untangle.Contracts.Components;
using Untangle.Contracts.Data;
using Untangle.Contracts.Evaluation;
using Untangle.Contracts.Training;
using Untangle.Host.Composition;
using Untangle.Host.Data.Protocols;
using Untangle.Host.Disentanglement;
using Untangle.Host.Evaluation;
using Untangle.Host.Results;
using Untangle.Host.Runs;
using Untangle.Host.Training.Checkpoints;

namespace Untangle.Host.Training;

/// <summary>What a finished run produced.</summary>
public sealed record RunOutcome(Dataset Dataset, Split Split, TrainingOutcome Training, IReadOnlyDictionary<string, MetricResult> Test, RunResults Results)
{
    /// <summary>The method's analyses of the best model, by name (written to metrics.json under the same names).</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>> Analyses { get; init; } = new Dictionary<string, IReadOnlyDictionary<string, double>>();

    /// <summary>Seconds of each stage (read, split, build, train, test, analyse, write), as the log's "stages" line.</summary>
    public IReadOnlyDictionary<string, double> StageSeconds { get; init; } = new Dictionary<string, double>();
}

/// <summary>
/// Runs one resolved experiment end to end, in named stages after the resolver's (every check that
/// needs no data): read, split, build (the method's graph with its slot components; pretraining
/// phases run here), train (validation, early stopping, the best checkpoint restored), test, analyse,
/// write. The log's last line before the result gives each stage's seconds. Everything the run
/// created (components, modules) is disposed at the end.
/// </summary>
public sealed class ExperimentRun(ILoggerFactory loggers)
{
    private readonly ILogger _log = loggers.CreateLogger("Untangle.Run");

    public RunOutcome Execute(ResolvedExperiment experiment, string outFolder, CancellationToken cancel = default, RunOptions? options = null)
    {
        options ??= new RunOptions();
        if (options.Claim is { } held)
        {
            if (held.Path != Path.GetFullPath(outFolder))
                throw new InvalidOperationException($"the run's folder {outFolder} is not the claimed folder {held.Path}");
            return Train(experiment, outFolder, cancel, options);
        }
        using var claim = options.Resume
            ? RunFolder.ClaimExisting(outFolder, experiment.Name)
            : RunFolder.ClaimNew(outFolder, experiment.Name, "the run folder");
        return Train(experiment, outFolder, cancel, options with { Claim = claim });
    }

    private RunOutcome Train(ResolvedExperiment experiment, string outFolder, CancellationToken cancel, RunOptions options)
    {
        var clock = Stopwatch.StartNew();
        var results = new RunResults(outFolder);
        results.WriteConfig(experiment);
        var run = experiment.Run;
        run.ApplyThreads();
        var device = Devices.Resolve(run.Device);

        // One seed fixes the split, the initialisation and the sampling. The method's random source is
        // one whose state a checkpoint can hold; the engine's batch sampling draws from per-epoch seeds.
        torch.random.manual_seed(run.Seed);
        var random = new RunRandom(run.Seed);

        if (NumericalReproducibility.Status is { } reproducibility) _log.LogDebug("{Reproducibility}", reproducibility);
        if (NativeMemory.Status is { } memory) _log.LogDebug("{NativeMemory}", memory);
        _log.LogInformation("experiment {Experiment}: method {Method}, data {Reader}{Path}, protocol {Protocol}, device {Device}, seed {Seed}",
            experiment.Name, experiment.MethodName, experiment.ReaderName,
            experiment.DatasetPath is null ? "" : $" ({experiment.DatasetPath})", experiment.ProtocolName, device, run.Seed);
        foreach (var left in experiment.Dropped) _log.LogWarning("{Dropped}", left);
        if (experiment.Slots.Count > 0)
            _log.LogInformation("slots: {Slots}", string.Join(", ", experiment.Slots.Select(kv =>
                $"{kv.Key} = {kv.Value.Component.Name}{(kv.Value.EngineFits ? " (fitted by the engine)" : kv.Value.Learns ? " (trained by the method)" : "")}")));
        var stages = new RunStages();
        var dataset = stages.Run("read", () => experiment.Reader.Read(experiment.DatasetPath, experiment.DatasetOptions, loggers.CreateLogger($"Untangle.Data.{experiment.ReaderName}")));
        _log.LogInformation("dataset {Name}: {Users} users, {Items} items, {Interactions} interactions",
            dataset.Name, dataset.UserCount, dataset.ItemCount, dataset.Interactions.Count);
        DataLeft.AfterRead(dataset, experiment.ReaderName);
        DatasetSidecars.Write(dataset, outFolder);

        var split = stages.Run("split", () => ReaderSplit.Choose(experiment.ProtocolName, experiment.Protocol, experiment.ProtocolOptions, dataset, run.Seed, _log));
        _log.LogInformation("split {Protocol}: {TrainUsers} training users, {Items} items, {Train} training interactions; {Valid} validation and {Test} test users",
            split.Protocol, split.UserCount, split.ItemCount, split.Train.Count, split.Validation.Count, split.Test.Count);
        DataLeft.AfterSplit(dataset, experiment.ReaderName, split);
        // The resolver refused this already where the protocol says so; a split the data came with is known only now.
        if (split.HeldOutUsers && !experiment.Declaration.FoldsInUsers)
            throw new ConfigurationException(ExperimentResolver.FoldInRefusal(experiment.MethodName, experiment.ProtocolName));

        var created = new List<IDisposable>();
        TrainingGraph? graph = null;
        try
        {
            var batchesMaker = new TrainingBatches(experiment.Declaration.BatchKind, split.Train, run.BatchSize, run.Seed, device) { Limit = run.LimitBatches };
            var checkpoints = new CheckpointFolder(results.CheckpointFolder);
            var config = ConfigFingerprint.Of(experiment);
            // Pretraining phases run inside Build, checkpointed beside the main loop's snapshots.
            var phases = new PhaseRunner(_log)
            {
                Device = device, RowUpdates = run.RowUpdates, CheckpointRoot = results.CheckpointFolder, Config = config, Random = random,
                Resume = options.Resume, Cancel = cancel, Progress = options.Progress,
            };
            SlotFits fits = SlotFits.None;
            graph = stages.Run("build", () => MethodGraph.Build(experiment, dataset, split, device, random, batchesMaker.PerEpoch, loggers, created, phases, out fits));

            var evaluator = new RankingEvaluator(device, run.EvalBatchSize, run.WithoutTargets);
            var depth = experiment.Metrics.Max(m => m.K);
            var asked = experiment.Metrics.Select(m => (m.Metric, m.Name, m.K)).ToList();
            IReadOnlyDictionary<string, MetricResult> Evaluate(EvaluationSet set)
            {
                // Scoring is large matrix products and top-k: libtorch may use every train.threads core there.
                using var threads = run.EvaluationThreads();
                return MetricReport.Evaluate(evaluator.Rank(graph.Scorer, set, dataset, split, depth), asked);
            }

            var validationMetric = experiment.Metrics.First(m => m.Display == run.ValidationMetric);
            // eval.select_on = test: the official scripts' selection, named in the log and in metrics.json.
            if (run.SelectOnTest)
                _log.LogWarning("eval.select_on = test: the best epoch is chosen on the test users ({Metric}), as the official scripts do; the test numbers are optimistic and not comparable with a validation-selected run",
                    run.ValidationMetric);
            var trainer = new Trainer(_log)
            {
                Graph = graph,
                Batches = batchesMaker,
                Device = device,
                RowUpdates = run.RowUpdates,
                Epochs = run.Epochs,
                EvalEvery = run.EvalEvery,
                Patience = run.Patience,
                ValidationMetric = run.ValidationMetric,
                HigherIsBetter = validationMetric.Metric.HigherIsBetter,
                Evaluate = Evaluate,
                ValidationSet = run.SelectOnTest ? split.Test : split.Validation,
                Checkpoints = checkpoints,
                Config = config,
                MethodRandom = random,
                Fits = fits,
                Resume = options.Resume,
                Progress = options.Progress,
                // The results folder's epoch log first, then whoever else records the run.
                Observers = [results, .. options.Observers],
            };
            FaultPoint.Reach("training.start", outFolder);
            var outcome = stages.Run("train", () => trainer.Train(cancel));

            foreach (var module in graph.Modules.Values) module.eval();
            var test = stages.Run("test", () => Evaluate(split.Test));
            var analyses = stages.Run("analyse", () => Analyse(graph, experiment, dataset, split, device));
            stages.Run("write", () =>
            {
                results.WriteMetrics(experiment, dataset, split, outcome, test, analyses, clock.Elapsed.TotalSeconds);
                results.WritePerUser(dataset, split.Test, test);
            });
            _log.LogInformation("stages: {Stages}", stages);
            _log.LogInformation("best epoch {Best}; test {Metrics}", outcome.BestEpoch,
                string.Join(" ", test.Select(kv => $"{kv.Key}={kv.Value.Mean:F5}")));
            return new RunOutcome(dataset, split, outcome, test, results) { Analyses = analyses, StageSeconds = stages.Seconds };
        }
        finally
        {
            foreach (var d in created) d.Dispose();
            if (graph is not null)
                foreach (var module in graph.Modules.Values) module.Dispose();
        }
    }

    /// <summary>
    /// The method's analyses, then the disentanglement lab's suite on its user representations, whose
    /// keys join the method's own "disentanglement" section when it has one.
    /// </summary>
    private IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>> Analyse(TrainingGraph graph, ResolvedExperiment experiment,
        Dataset dataset, Split split, torch.Device device)
    {
        var results = new Dictionary<string, IReadOnlyDictionary<string, double>>(StringComparer.Ordinal);
        foreach (var analysis in graph.Analyses)
        {
            using var scope = torch.NewDisposeScope();
            using var noGrad = torch.no_grad();
            var values = analysis.Compute();
            _log.LogInformation("{Analysis}: {Values}", analysis.Name, string.Join(" ", values.Select(kv => $"{kv.Key}={kv.Value:G5}")));
            results[analysis.Name] = values;
        }
        using (var scope = torch.NewDisposeScope())
        using (var noGrad = torch.no_grad())
        {
            var suite = DisentanglementSuite.Measure(experiment, graph, dataset, split, device, _log);
            if (suite.Count > 0)
            {
                _log.LogInformation("{Analysis}: {Values}", DisentanglementSuite.Section, string.Join(" ", suite.Select(kv => $"{kv.Key}={kv.Value:G4}")));
                var merged = new Dictionary<string, double>(results.GetValueOrDefault(DisentanglementSuite.Section) ?? new Dictionary<string, double>());
                foreach (var (key, value) in suite)
                    if (!merged.TryAdd(key, value))
                        throw new InvalidOperationException($"the method's '{DisentanglementSuite.Section}' analysis already reports '{key}', a key of the disentanglement suite");
                results[DisentanglementSuite.Section] = merged;
            }
        }
        return results;
    }
}
