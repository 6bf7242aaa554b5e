using TorchSharp;
using TorchSharp.Modules;
using Untangle.Contracts.Components;
using Untangle.Contracts.Settings;
using Untangle.Contracts.Training;
using static TorchSharp.torch;

namespace Untangle.Plugins.InfoBounds.Tests;

/// <summary>
/// A fixture method with one estimator slot, "mi" (default "club"), written as a real method would be:
/// BPR on user and item embeddings plus weight·Estimate(first half, second half of the user embedding,
/// condition), the estimator's fitting step from <see cref="EstimatorTraining"/> on the hyper-parameter
/// "mi_schedule", and the estimator's module registered with the graph. It counts how often each step
/// ran, so a test can check the engine's schedule.
/// </summary>
public sealed class MiProbeMethod : IMethod
{
    private const int Width = 8;
    private const int Half = Width / 2;

    public int MainSteps { get; private set; }
    public int FitSteps { get; private set; }
    public int FullGraphFits { get; private set; }

    public MethodDeclaration Declare() => new()
    {
        BatchKind = BatchKind.Triples,
        Slots = [new Slot("mi", ComponentKind.MutualInformationEstimator, InfoBoundsPlugin.Club, "dependence between the two halves of a user embedding") { Training = SlotTraining.Method }],
        HyperParameters =
        [
            EstimatorSchedule.Setting("mi_schedule", "2/batch"),
            SettingSpec.Float("mi_weight", 0.1, "weight of the estimate in the main loss"),
        ],
    };

    public TrainingGraph Build(MethodContext context)
    {
        var mi = context.Create<IMutualInformationEstimator>("mi", new Dictionary<string, object> { ["x_dim"] = Half, ["y_dim"] = Half });
        var schedule = EstimatorSchedule.Read(context.Hyper, "mi_schedule");
        double weight = context.Hyper.Float("mi_weight");
        var embeddings = new Embeddings(context.Split.UserCount, context.Split.ItemCount);
        var condition = randn(context.Split.UserCount, Half); // a fixed "sensitive" signal per user

        var main = new OptimizationStep
        {
            Name = "main",
            Parameters = [.. embeddings.parameters()],
            Optimizer = OptimizerSpec.Adam(1e-2),
            Loss = step =>
            {
                MainSteps++;
                var b = step.Batch;
                var users = embeddings.Users.index_select(0, b.Users);
                var positives = embeddings.Items.index_select(0, b.Positives!);
                var negatives = embeddings.Items.index_select(0, b.Negatives!);
                var bpr = -nn.functional.logsigmoid((users * positives).sum([1]) - (users * negatives).sum([1])).mean();
                var estimate = mi.Estimate(users[.., ..Half], users[.., Half..], condition.index_select(0, b.Users));
                step.Record("mi", estimate);
                return bpr + weight * estimate;
            },
        };
        var fit = EstimatorTraining.Steps("mi-fit", mi, schedule, OptimizerSpec.Adam(1e-2), step =>
        {
            FitSteps++;
            var rows = step.Batch.Kind == BatchKind.FullGraph ? embeddings.Users : embeddings.Users.index_select(0, step.Batch.Users);
            if (step.Batch.Kind == BatchKind.FullGraph) FullGraphFits++;
            return (rows[.., ..Half], rows[.., Half..]);
        });

        var modules = new Dictionary<string, nn.Module> { ["embeddings"] = embeddings };
        if (mi.Module is not null) modules["mi"] = mi.Module;
        return new TrainingGraph
        {
            Steps = [main, .. fit],
            Scorer = new Scorer(batch => embeddings.Users.index_select(0, batch.Users).mm(embeddings.Items.t())),
            Modules = modules,
        };
    }

    private sealed class Embeddings : nn.Module
    {
        private readonly Parameter users;
        private readonly Parameter items;

        public Embeddings(int userCount, int itemCount) : base(nameof(Embeddings))
        {
            users = new Parameter(randn(userCount, Width) * 0.1);
            items = new Parameter(randn(itemCount, Width) * 0.1);
            RegisterComponents();
        }

        public Tensor Users => users;
        public Tensor Items => items;
    }
}
