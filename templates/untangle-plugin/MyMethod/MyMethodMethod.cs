// The method of `dotnet new untangle-plugin` (templates/untangle-plugin). README.md's "Writing a
// plugin" shows the text between the two markers below, and a test fails when they drift apart;
// this repository's tests also build this file as a plugin and train it (ReadmeExampleTests).
// README begin
using System.Composition;
using TorchSharp;
using Untangle.Contracts.Components;
using Untangle.Contracts.Settings;
using Untangle.Contracts.Training;
using static TorchSharp.torch;

namespace MyMethod;

/// <summary>
/// "mymethod": BPR matrix factorisation (Rendle et al., UAI 2009) whose user embedding has two halves
/// kept apart by whatever mutual-information estimator the "separation" slot holds.
/// </summary>
[ExportComponent(ComponentKind.Method, "mymethod", Description = "BPR-MF with two user halves kept apart by an MI estimator",
    Citation = "Steffen Rendle, Christoph Freudenthaler, Zeno Gantner, Lars Schmidt-Thieme. BPR: Bayesian Personalized Ranking from Implicit Feedback. UAI 2009.")]
[Shared]
public sealed class MyMethodMethod : IMethod
{
    /// <summary>d, split into two halves of 16. A hyper-parameter would be one more SettingSpec below.</summary>
    public const int EmbeddingSize = 32;

    public MethodDeclaration Declare() => new()
    {
        BatchKind = BatchKind.Triples, // the engine samples (user, positive, negative) batches
        // An estimator slot is engine-trained by default: put "club" or "learned-infonce" here and
        // the engine fits its network after each step that used it and checkpoints it.
        Slots = [new Slot("separation", ComponentKind.MutualInformationEstimator, "orthogonality", "dependence of the two user halves, minimised")],
        HyperParameters =
        [
            SettingSpec.Float("separation_weight", 0.1, "weight of the separation term").AtLeast(0), // ranges are checked before training
        ],
    };

    public TrainingGraph Build(MethodContext context)
    {
        const int d = EmbeddingSize, half = d / 2;
        var tables = new Tables(context.Split.UserCount, context.Split.ItemCount, d, context.Device);
        var separation = context.Create<IMutualInformationEstimator>("separation",
            new Dictionary<string, object> { ["x_dim"] = half, ["y_dim"] = d - half });
        var weight = context.Hyper.Float("separation_weight").ToScalar(); // held for the run: no temporary Scalars per batch
        var bpr = new OptimizationStep
        {
            Name = "bpr",
            Parameters = [.. tables.parameters()],
            Optimizer = OptimizerSpec.Adam(1e-3),
            Loss = step =>
            {
                var batch = step.Batch;
                var u = tables.Users.index_select(0, batch.Users);
                // BPR (Rendle et al. 2009, eq. 4): -ln σ(x̂_ui - x̂_uj) for a seen item i and a sampled item j.
                var margin = (u * (tables.Items.index_select(0, batch.Positives!) - tables.Items.index_select(0, batch.Negatives!))).sum(1);
                var ranking = nn.functional.logsigmoid(margin).mean().neg();
                var dependence = separation.Estimate(u.narrow(1, 0, half), u.narrow(1, half, d - half));
                step.Record("bpr", ranking);
                step.Record(context.ComponentIn("separation"), dependence); // name a term after what is in the slot
                return ranking.add(dependence, weight);
            },
        };
        return new TrainingGraph
        {
            Steps = [bpr],
            Scorer = new Scorer(batch => tables.Users.index_select(0, batch.Users).mm(tables.Items.t())),
            Modules = new Dictionary<string, nn.Module> { ["tables"] = tables }, // slot components' modules are added by the engine
        };
    }

    /// <summary>The user and item tables, created on the run's device (the engine never moves modules).</summary>
    private sealed class Tables : nn.Module
    {
        private readonly TorchSharp.Modules.Parameter users, items;

        public Tables(int userCount, int itemCount, int d, Device device) : base(nameof(Tables))
        {
            users = nn.Parameter(randn(userCount, d, device: device).mul_(0.1));
            items = nn.Parameter(randn(itemCount, d, device: device).mul_(0.1));
            RegisterComponents();
        }

        public Tensor Users => users;
        public Tensor Items => items;
    }
}
// README end
