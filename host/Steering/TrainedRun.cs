using Microsoft.Extensions.Logging;
using TorchSharp;
using Untangle.Contracts.Data;
using Untangle.Contracts.Training;
using Untangle.Host.Composition;
using Untangle.Host.Data.Protocols;
using Untangle.Host.Disentanglement;
using Untangle.Host.Plugins;
using Untangle.Host.Results;
using Untangle.Host.Training;
using Untangle.Host.Training.Checkpoints;
using static TorchSharp.torch;

namespace Untangle.Host.Steering;

/// <summary>
/// A finished run opened again for steering: its config.json resolved with the loaded plugins, its
/// data read and split with its own seed (the same users, items and histories the run had), the
/// method's graph built and the best model loaded from the newest checkpoint, in eval mode. The user
/// representation steered is the first one whose method gives a decoder; on opening, the decoder's
/// scores are checked against the method's scorer for some users, so a decoder that drifts from its
/// model fails here rather than steering wrongly.
/// </summary>
internal sealed class TrainedRun : IDisposable
{
    private readonly List<IDisposable> _created;

    private TrainedRun(string folder, ResolvedExperiment experiment, Dataset dataset, Split split, TrainingGraph graph,
        Representation users, Device device, List<IDisposable> created)
    {
        Folder = folder;
        Experiment = experiment;
        Dataset = dataset;
        Split = split;
        Graph = graph;
        Users = users;
        Device = device;
        _created = created;
    }

    public string Folder { get; }
    public ResolvedExperiment Experiment { get; }
    public Dataset Dataset { get; }
    public Split Split { get; }
    public TrainingGraph Graph { get; }
    /// <summary>The steered user representation (it has a decoder).</summary>
    public Representation Users { get; }
    public Device Device { get; }

    public static TrainedRun Open(string folder, ComponentCatalog catalog, ILoggerFactory loggers)
    {
        var results = new RunResults(Path.GetFullPath(folder));
        if (!File.Exists(results.ConfigPath))
            throw new ConfigurationException($"{folder}: not a run folder (no config.json); pass a run folder or a run id from `untangle runs`");
        if (!File.Exists(results.MetricsPath))
            throw new ConfigurationException($"{folder}: the run has not finished (no metrics.json); steer a finished run, or finish it with `untangle run --resume {folder}`");
        var (name, source) = SavedConfiguration.Read(results.ConfigPath);
        var experiment = new ExperimentResolver(catalog).Resolve(name, [source]);
        var run = experiment.Run;
        run.ApplyThreads();
        var device = Devices.Resolve(run.Device);
        torch.random.manual_seed(run.Seed);
        var log = loggers.CreateLogger("Untangle.Steering");

        var dataset = experiment.Reader.Read(experiment.DatasetPath, experiment.DatasetOptions, loggers.CreateLogger($"Untangle.Data.{experiment.ReaderName}"));
        var split = ReaderSplit.Choose(experiment.ProtocolName, experiment.Protocol, experiment.ProtocolOptions, dataset, run.Seed, log);
        var created = new List<IDisposable>();
        TrainingGraph? graph = null;
        try
        {
            var batches = new TrainingBatches(experiment.Declaration.BatchKind, split.Train, run.BatchSize, run.Seed, device) { Limit = run.LimitBatches };
            var random = new RunRandom(run.Seed);
            // A finished run's pretraining phases are restored from their checkpoints, not trained again.
            var phases = new PhaseRunner(log)
            {
                Device = device, CheckpointRoot = results.CheckpointFolder, Config = ConfigFingerprint.Of(experiment), Random = random, Resume = true,
            };
            graph = MethodGraph.Build(experiment, dataset, split, device, random, batches.PerEpoch, loggers, created, phases, out _);
            var snapshot = new CheckpointFolder(results.CheckpointFolder).Latest()
                ?? throw new ConfigurationException($"{folder}: no checkpoint in {results.CheckpointFolder}; the model cannot be loaded");
            TrainingSnapshot.RestoreFinishedModel(snapshot, ConfigFingerprint.Of(experiment), graph);
            foreach (var module in graph.Modules.Values) module.eval();

            var users = graph.Representations.FirstOrDefault(r => r.Of == RepresentationOf.Users && r.Decoder is not null)
                ?? throw new ConfigurationException(
                    $"method '{experiment.MethodName}' gives no user representation with a decoder, so its lists cannot be steered; steer a run of a method whose user Representation gives a Decoder (contracts/Training/Representation.cs)");
            var opened = new TrainedRun(Path.GetFullPath(folder), experiment, dataset, split, graph, users, device, created);
            opened.CheckDecoder();
            return opened;
        }
        catch
        {
            foreach (var d in created) d.Dispose();
            if (graph is not null) foreach (var module in graph.Modules.Values) module.Dispose();
            throw;
        }
    }

    /// <summary>Every user the representation can encode: training users from their training items, held-out users from their fold-in items.</summary>
    public MeasuredUsers AllUsers() => _allUsers ??= MeasuredUsers.Of(Split, Users.FoldsIn, int.MaxValue, Experiment.Run.Seed);

    private MeasuredUsers? _allUsers;

    /// <summary>Scores (users × items) for codes, through the decoder.</summary>
    public float[][] Decode(float[][] codes)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        int dims = codes[0].Length;
        var input = tensor(codes.SelectMany(c => c).ToArray(), [codes.Length, dims]).to(Device);
        foreach (var op in Users.Decoder!()) input = op.Apply(input);
        var flat = input.to_type(ScalarType.Float32).cpu().data<float>().ToArray();
        int items = (int)input.shape[1];
        return Enumerable.Range(0, codes.Length).Select(r => flat.AsSpan(r * items, items).ToArray()).ToArray();
    }

    /// <summary>The decoder applied to the users' own codes gives the method's scores (relative error 1e-3), on up to 64 users.</summary>
    private void CheckDecoder()
    {
        var all = AllUsers();
        var rows = Enumerable.Range(0, Math.Min(64, all.Count)).ToArray();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var batch = new ScoringBatch
        {
            Users = tensor(rows.Select(r => (long)all.TrainingIndex[r]).ToArray()).to(Device),
            Known = all.Known.SelectRows(rows),
            Device = Device,
        };
        var expected = Graph.Scorer.Score(batch).to_type(ScalarType.Float32);
        var decoded = Users.EncodeUsers(batch);
        foreach (var op in Users.Decoder!()) decoded = op.Apply(decoded);
        double scale = 1 + expected.abs().max().item<float>();
        double gap = (decoded.to_type(ScalarType.Float32) - expected).abs().max().item<float>();
        if (!(gap <= 1e-3 * scale))
            throw new InvalidOperationException(
                $"method '{Experiment.MethodName}': its representation's decoder gives scores up to {gap:G3} away from its scorer's (scale {scale:G3}); the decoder does not describe the model, so steering would be wrong");
    }

    public void Dispose()
    {
        foreach (var d in _created) d.Dispose();
        foreach (var module in Graph.Modules.Values) module.Dispose();
    }
}
