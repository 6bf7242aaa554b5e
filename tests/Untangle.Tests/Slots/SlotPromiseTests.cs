using Microsoft.Extensions.Logging.Abstractions;
using TorchSharp;
using Untangle.Contracts.Components;
using Untangle.Contracts.Training;
using Untangle.Host;
using Untangle.Host.Composition;
using Untangle.Host.Data.Protocols;
using Untangle.Host.Plugins;
using Untangle.Host.Training;
using Untangle.Host.Training.Checkpoints;
using Untangle.Tests.Faults;
using Untangle.Tests.Training;

namespace Untangle.Tests.Slots;

/// <summary>
/// A component that brings its own network trains in any slot that promises to train it, is
/// checkpointed with the run and resumes bit-identically; a slot that cannot train it refuses it
/// before any data are read.
/// </summary>
[Collection(TorchGeneratorCollection.Name)]
public class SlotPromiseTests
{
    private static readonly ComponentCatalog Catalog = new PluginLoader(NullLogger.Instance)
        .Load(["plugins/Foundation", "plugins/InfoBounds", "plugins/FairMi", "plugins/Dcid", "plugins/Pamd"], [AppContext.BaseDirectory]);

    /// <summary>FairMI-BPR on small synthetic data with a learned-critic InfoNCE in its "lower" slot (a cross-paper mix).</summary>
    private static ResolvedExperiment FairMiWithLearnedLower(params (string Key, string Value)[] extra)
    {
        var values = new Dictionary<string, string>
        {
            ["method"] = "fairmi-bpr", ["components.lower"] = "learned-infonce",
            ["dataset.reader"] = "synthetic", ["dataset.users"] = "160", ["dataset.items"] = "90",
            ["protocol.name"] = "weak-random", ["train.epochs"] = "3", ["train.batch_size"] = "512", ["train.seed"] = "5",
            ["hyper.embedding_size"] = "16", ["hyper.sensitive_epochs"] = "20", ["hyper.p_epochs"] = "3", ["hyper.upper_schedule"] = "2/epoch",
            ["hyper.lower.fit_steps"] = "2", ["hyper.lower.fit_learning_rate"] = "0.01",
            ["eval.metrics"] = "ndcg@10,recall@10",
        };
        foreach (var (k, v) in extra) values[k] = v;
        return new ExperimentResolver(Catalog).Resolve("learned-lower", [new ConfigSource("test", values)]);
    }

    private static RunOutcome Run(ResolvedExperiment experiment, string folder, RunOptions? options = null, CancellationToken cancel = default) =>
        new ExperimentRun(NullLoggerFactory.Instance).Execute(experiment, folder, cancel, options);

    /// <summary>
    /// The slot module's parameters as the run starts (the graph built the way ExperimentRun builds it,
    /// before any step) and as <paramref name="saved"/> holds them.
    /// </summary>
    private static (Dictionary<string, float[]> Initial, Dictionary<string, float[]> Saved) InitialAndSaved(ResolvedExperiment experiment, string key, string saved)
    {
        var run = experiment.Run;
        torch.random.manual_seed(run.Seed);
        var random = new RunRandom(run.Seed);
        var dataset = experiment.Reader.Read(experiment.DatasetPath, experiment.DatasetOptions, NullLogger.Instance);
        var split = ReaderSplit.Choose(experiment.ProtocolName, experiment.Protocol, experiment.ProtocolOptions, dataset, run.Seed, NullLogger.Instance);
        var batches = new TrainingBatches(experiment.Declaration.BatchKind, split.Train, run.BatchSize, run.Seed, torch.CPU);
        var created = new List<IDisposable>();
        try
        {
            var graph = MethodGraph.Build(experiment, dataset, split, torch.CPU, random, batches.PerEpoch, NullLoggerFactory.Instance, created);
            var module = graph.Modules[key];
            var initial = Values(module);
            module.load(saved);
            return (initial, Values(module));
        }
        finally
        {
            foreach (var d in created) d.Dispose();
        }
    }

    private static Dictionary<string, float[]> Values(torch.nn.Module module) =>
        module.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().cpu().data<float>().ToArray());


    [Fact]
    public void A_learned_lower_bound_in_fairmis_lower_slot_is_fitted_by_the_engine_and_checkpointed()
    {
        var experiment = FairMiWithLearnedLower();
        experiment.Slots["lower"].EngineFits.Should().BeTrue();
        var folder = Scratch.Folder("untangle-learned-lower-").FullName;

        var outcome = Run(experiment, folder);

        outcome.Training.Epochs.Should().OnlyContain(e => e.Losses.ContainsKey("fit:lower"), "the engine fits the critic after every main step");
        var snapshot = new CheckpointFolder(Path.Combine(folder, "checkpoint")).Latest()!;
        var saved = Path.Combine(snapshot, "modules", "slot.lower.pt");
        File.Exists(saved).Should().BeTrue("the slot's module is checkpointed by the engine");
        TrainingState.Read(snapshot).Steps.Should().Equal("fairmi", "upper-fit", "fit:lower");

        var (initial, trained) = InitialAndSaved(experiment, "slot.lower", saved);
        trained.Keys.Should().BeEquivalentTo(initial.Keys);
        foreach (var (name, values) in trained)
            values.Zip(initial[name]).Max(p => Math.Abs(p.First - p.Second)).Should().BeGreaterThan(1e-3f, $"critic parameter {name} moved from its initial value");
    }

    [Fact]
    public void A_run_with_a_learned_lower_bound_killed_mid_epoch_resumes_to_the_uninterrupted_metrics()
    {
        var experiment = FairMiWithLearnedLower(("train.batch_size", "256"));
        var uninterrupted = Run(experiment, Scratch.Folder("untangle-learned-whole-").FullName);
        var folder = Scratch.Folder("untangle-learned-stopped-").FullName;
        using var stop = new CancellationTokenSource();

        var interrupted = () => Run(experiment, folder, new RunOptions { Progress = new AtBatch(2, 2, stop.Cancel) }, stop.Token);
        interrupted.Should().Throw<TrainingInterrupted>();
        var resumed = Run(experiment, folder, new RunOptions { Resume = true });

        SameRun.ShouldMatch(resumed, uninterrupted);
    }

    /// <summary>A method whose estimator slot promises no training at all (SlotTraining.None).</summary>
    private sealed class UntrainedSlotMethod : IMethod
    {
        public MethodDeclaration Declare() => new()
        {
            BatchKind = BatchKind.Triples,
            Slots = [new Slot("probe", ComponentKind.MutualInformationEstimator, "infonce", "a parameter-free bound only") { Training = SlotTraining.None }],
        };

        public TrainingGraph Build(MethodContext context) => throw new InvalidOperationException("never built: the resolver refuses first");
    }

    [Fact]
    public void A_component_with_a_network_in_a_slot_that_cannot_train_it_is_refused_before_training()
    {
        var catalog = new ComponentCatalog([.. Catalog.Plugins, new PluginReport("fixture", "", true, null,
            [new ComponentEntry(ComponentKind.Method, "untrained-slot", "fixture", "", "fixture", new UntrainedSlotMethod())])]);
        ResolvedExperiment Resolve(string component) => new ExperimentResolver(catalog).Resolve("refused", [new ConfigSource("test", new Dictionary<string, string>
        {
            ["method"] = "untrained-slot", ["components.probe"] = component, ["dataset.reader"] = "synthetic",
        })]);

        Resolve("orthogonality").Slots["probe"].Learns.Should().BeFalse();
        var learned = () => Resolve("learned-infonce");
        learned.Should().Throw<ConfigurationException>().WithMessage(
            "components.probe: 'learned-infonce' brings trainable parameters, but method 'untrained-slot' uses slot 'probe' where nothing can train them*");
        var club = () => Resolve("club");
        club.Should().Throw<ConfigurationException>().WithMessage("components.probe: 'club' brings trainable parameters*");
    }

    /// <summary>A method with one estimator slot declared <paramref name="training"/>, whose step trains the estimator's network only when <paramref name="trainsIt"/>.</summary>
    private sealed class ProbeMethod(SlotTraining training, bool trainsIt) : IMethod
    {
        public MethodDeclaration Declare() => new()
        {
            BatchKind = BatchKind.Triples,
            Slots = [new Slot("probe", ComponentKind.MutualInformationEstimator, "club", "a probe") { Training = training }],
        };

        public TrainingGraph Build(MethodContext context)
        {
            var tables = torch.nn.Embedding(context.Split.UserCount + context.Split.ItemCount, 4);
            var probe = context.Create<IMutualInformationEstimator>("probe", new Dictionary<string, object> { ["x_dim"] = 2, ["y_dim"] = 2 });
            return new TrainingGraph
            {
                Steps =
                [
                    new OptimizationStep
                    {
                        Name = "main",
                        Parameters = [.. tables.parameters(), .. trainsIt ? probe.Module!.parameters() : []],
                        Optimizer = OptimizerSpec.Adam(1e-3),
                        Loss = step => tables.forward(step.Batch.Users).narrow(1, 0, 2).sum(),
                    },
                ],
                Scorer = new Scorer(batch => torch.zeros(batch.Users.shape[0], context.Split.ItemCount)),
                Modules = new Dictionary<string, torch.nn.Module> { ["tables"] = tables },
            };
        }
    }

    private static Action RunProbe(SlotTraining training, bool trainsIt)
    {
        var catalog = new ComponentCatalog([.. Catalog.Plugins, new PluginReport("fixture", "", true, null,
            [new ComponentEntry(ComponentKind.Method, "probe", "fixture", "", "fixture", new ProbeMethod(training, trainsIt))])]);
        var experiment = new ExperimentResolver(catalog).Resolve("probe", [new ConfigSource("test", new Dictionary<string, string>
        {
            ["method"] = "probe", ["dataset.reader"] = "synthetic", ["dataset.users"] = "60", ["dataset.items"] = "30",
            ["train.epochs"] = "1", ["eval.metrics"] = "ndcg@10", ["eval.disentanglement"] = "none",
        })]);
        return () => Run(experiment, Scratch.Folder("untangle-probe-").FullName);
    }

    [Fact]
    public void A_method_trained_slot_whose_network_no_step_trains_fails_after_build_naming_the_slot()
    {
        RunProbe(SlotTraining.Method, trainsIt: false).Should().Throw<ConfigurationException>().WithMessage(
            "components.probe: 'club' has * trainable parameters that no step or phase of method 'probe' optimises (steps: main)*");
        RunProbe(SlotTraining.Method, trainsIt: true).Should().NotThrow();
    }

    [Fact]
    public void An_engine_trained_slot_that_the_method_also_trains_is_refused()
    {
        RunProbe(SlotTraining.Engine, trainsIt: true).Should().Throw<InvalidOperationException>().WithMessage(
            "method 'probe' optimises the parameters of 'club' in slot 'probe' in its own steps, but the slot is engine-trained*");
    }

    [Fact]
    public void Engine_fit_settings_exist_only_where_the_engine_fits_and_are_range_checked()
    {
        var parameterFree = () => new ExperimentResolver(Catalog).Resolve("no-fit", [new ConfigSource("test", new Dictionary<string, string>
        {
            ["method"] = "fairmi-bpr", ["hyper.lower.fit_steps"] = "2",
        })]);
        parameterFree.Should().Throw<ConfigurationException>().WithMessage("hyper.lower.fit_steps*is not a known setting*");

        var zero = () => FairMiWithLearnedLower(("hyper.lower.fit_steps", "0"));
        zero.Should().Throw<ConfigurationException>().WithMessage("hyper.lower.fit_steps (test): 0 is out of range; expected an integer >= 1");
    }
}
