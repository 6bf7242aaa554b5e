using TorchSharp;
using Untangle.Contracts.Components;
using Untangle.Contracts.Training;
using Untangle.Plugins.Foundation;
using Untangle.Plugins.InfoBounds;
using static TorchSharp.torch;

namespace Untangle.Plugins.FairMi;

/// <summary>
/// FairMI (Zhao et al., AAAI 2023; official code chenzhao-hfut/FairMI; specs/fairmi.md) over a
/// Foundation backbone. Build: (1) pre-train the sensitive encoder s and freeze it
/// (<see cref="SensitiveEncoder"/>); (2) pre-train a plain copy of the backbone, p, and freeze it
/// (<see cref="PreferencePretraining"/>); (3) return the graph that trains the interest encoder z:
/// <code>
///   main (every batch):   BPR + reg·emb − γ·(Î_lb(p_u; z_u | s_u) + Î_lb(p_i; z_i | s_i)) + β·½·Î_CLUB(z_u; s_u) [+ β·½·Î_CLUB(z_i; s_i)]
///   upper-fit (50/epoch): −log q(s_u | z_u) on the full detached z_u, s_u   [item-upper-fit likewise]
/// </code>
/// Only z recommends. Slots: "lower" (conditional-infonce), "upper" and "item_upper" (club-sample),
/// "graph" (user-item), and for LightGCN "encoder" (lightgcn).
/// </summary>
/// <remarks>
/// <para>Î_lb is the InfoBounds estimate mean(log|G| − ℓ), so −γ·Î_lb is the official γ·mean ℓ up to a
/// constant. The InfoBounds CLUBSample is twice the official copy's value, hence β·½ (β = 0.1 is the
/// official weight); the official copy also clamps at 0, which the experiments set with
/// hyper.upper.clamp_at_zero = true.</para>
/// <para>The bounds use the batch's unique users and unique items (positives and negatives).</para>
/// <para>The "fairness" analysis reports attacker AUC (logistic regression and a 2-layer MLP, 80/20
/// users) on z and, for comparison within the same run, on the plain backbone p.</para>
/// </remarks>
public static class FairMiRecipe
{
    public static IReadOnlyList<Slot> Slots(bool lightGcn) =>
    [
        new Slot("lower", ComponentKind.MutualInformationEstimator, InfoBoundsPlugin.ConditionalInfoNce,
            "lower bound of I(z; p | s), Estimate(p, z, s); maximised"),
        new Slot("upper", ComponentKind.MutualInformationEstimator, InfoBoundsPlugin.ClubSample,
            "upper bound of I(z_u; s_u); minimised, its network fitted on the upper_schedule"),
        new Slot("item_upper", ComponentKind.MutualInformationEstimator, InfoBoundsPlugin.ClubSample,
            "upper bound of I(z_i; s_i), used only with hyper.item_upper = true"),
        new Slot("graph", ComponentKind.GraphBuilder, FoundationPlugin.UserItemGraph,
            "the normalised user-item graph the sensitive encoder (and LightGCN) propagate over"),
        .. lightGcn
            ? new[] { new Slot("encoder", ComponentKind.Encoder, FoundationPlugin.LightGcnEncoder, "LightGCN propagation of z and p (an IGraphEncoder)") }
            : [],
    ];

    public static MethodDeclaration Declare(bool lightGcn) => new()
    {
        BatchKind = BatchKind.Triples,
        Slots = Slots(lightGcn),
        HyperParameters = FairMiHyperParameters.Specs,
        FoldsInUsers = false,
    };

    public static TrainingGraph Build(MethodContext context, bool lightGcn, string methodName)
    {
        var hyper = FairMiHyperParameters.Read(context.Hyper);
        var split = context.Split;
        int d = hyper.EmbeddingSize;
        var attribute = hyper.Attribute(context.Dataset);
        var labels = split.UserToDataset.Select(u => attribute.Codes[u]).ToArray();
        int classes = attribute.Levels.Length;

        var adjacency = context.Create<IGraphBuilder>("graph").Build(new GraphInput { Interactions = split.Train, Device = context.Device });
        var encoder = lightGcn ? context.Create<IGraphEncoder>("encoder") : null;
        InterestBackbone NewBackbone() =>
            encoder is null
                ? InterestBackbone.MatrixFactorisation(new UserItemEmbeddings(split.UserCount, split.ItemCount, d, hyper.InitStd, context.Random, context.Device))
                : InterestBackbone.LightGcn(new UserItemEmbeddings(split.UserCount, split.ItemCount, d, hyper.InitStd, context.Random, context.Device), encoder, adjacency.clone());

        // (1) s: SemiGCN with 3 LightGCN layers, as the official code, whatever the z encoder is.
        using var semiGcnPropagation = new LightGcnPropagation(3);
        var s = SensitiveEncoder.Fit(adjacency, semiGcnPropagation, split.UserCount, split.ItemCount, d, labels, classes,
            hyper.SensitiveEpochs, hyper.SensitiveLearningRate, context.Random, context.Logger);

        // (2) p: a plain backbone, trained then frozen.
        var plain = NewBackbone();
        var p = PreferencePretraining.Fit(plain, split.Train, hyper.PreferenceEpochs, context.BatchSize, hyper.LearningRate,
            hyper.PreferenceRegWeight, context.Random, context.Device, context.Logger);

        // (3) z and the estimators.
        var z = NewBackbone();
        // s, p and z are built; each LightGCN model holds its own copy of the graph.
        adjacency.Dispose();
        var dims = new Dictionary<string, object> { ["x_dim"] = d, ["y_dim"] = d };
        var lower = context.Create<IMutualInformationEstimator>("lower", dims);
        var upper = context.Create<IMutualInformationEstimator>("upper", dims);
        var itemUpper = hyper.ItemUpperBound ? context.Create<IMutualInformationEstimator>("item_upper", dims) : null;

        var main = new OptimizationStep
        {
            Name = "fairmi",
            Parameters = z.Parameters,
            Optimizer = OptimizerSpec.Adam(hyper.LearningRate),
            Loss = step =>
            {
                var batch = step.Batch;
                var (bpr, l2, allUsers, allItems) = z.BprTerms(batch.Users, batch.Positives!, batch.Negatives!, hyper.RegWeight);
                var users = torch.unique(batch.Users).output;
                var items = torch.unique(cat([batch.Positives!, batch.Negatives!])).output;
                var zu = allUsers.index_select(0, users);
                var zi = allItems.index_select(0, items);
                var su = s.Users.index_select(0, users);
                var si = s.Items.index_select(0, items);
                var lowerUsers = lower.Estimate(p.Users.index_select(0, users), zu, su);
                var lowerItems = lower.Estimate(p.Items.index_select(0, items), zi, si);
                var upperUsers = upper.Estimate(zu, su) * 0.5;
                var loss = bpr + l2 - hyper.LowerWeight * (lowerUsers + lowerItems) + hyper.UpperWeight * upperUsers;
                if (itemUpper is not null)
                {
                    var upperItems = itemUpper.Estimate(zi, si) * 0.5;
                    step.Record("upper_item", upperItems);
                    loss = loss + hyper.UpperWeight * upperItems;
                }
                step.Record("bpr", bpr);
                step.Record("l2", l2);
                step.Record("lower_user", lowerUsers);
                step.Record("lower_item", lowerItems);
                step.Record("upper_user", upperUsers);
                return loss;
            },
        };

        var optimizer = OptimizerSpec.Adam(hyper.EstimatorLearningRate);
        var steps = new List<OptimizationStep> { main };
        // On a PerEpoch schedule the batch is a FullGraph one: fit on all users' (items') embeddings.
        steps.AddRange(EstimatorTraining.Steps("upper-fit", upper, hyper.UpperSchedule, optimizer,
            step => step.Batch.Kind == BatchKind.FullGraph
                ? (z.Final().Users, s.Users)
                : (z.Final().Users.index_select(0, step.Batch.Users), s.Users.index_select(0, step.Batch.Users))));
        if (itemUpper is not null)
            steps.AddRange(EstimatorTraining.Steps("item-upper-fit", itemUpper, hyper.UpperSchedule, optimizer,
                step => step.Batch.Kind == BatchKind.FullGraph
                    ? (z.Final().Items, s.Items)
                    : (z.Final().Items.index_select(0, step.Batch.Positives!), s.Items.index_select(0, step.Batch.Positives!))));

        var modules = new Dictionary<string, nn.Module> { ["model"] = z.Module, ["preference"] = plain.Module };
        if (encoder is not null) modules["encoder"] = encoder.Module;
        if (upper.Module is not null) modules["upper"] = upper.Module;
        if (lower.Module is not null) modules["lower"] = lower.Module;
        if (itemUpper?.Module is not null) modules["item_upper"] = itemUpper.Module;

        return new TrainingGraph
        {
            Steps = steps,
            Systems = [new StageSystem("fairmi-forget-scoring-tables", Stage.AfterBatch, _ => z.ForgetScoringTables())],
            Scorer = new Scorer(batch =>
            {
                TrainedUsers.Require(batch.Users, methodName);
                var (users, items) = z.ScoringTables();
                return users.index_select(0, batch.Users).mm(items.t());
            }),
            Modules = modules,
            Analyses =
            [
                new RunAnalysis("fairness", () =>
                {
                    var zUsers = z.ScoringTables().Users;
                    return new Dictionary<string, double>
                    {
                        ["attacker_auc"] = AttributeAttacker.HeldOutAuc(zUsers, labels, classes, AttackerKind.Logistic, context.Seed),
                        ["attacker_auc_mlp"] = AttributeAttacker.HeldOutAuc(zUsers, labels, classes, AttackerKind.Mlp, context.Seed),
                        ["attacker_auc_backbone"] = AttributeAttacker.HeldOutAuc(p.Users, labels, classes, AttackerKind.Logistic, context.Seed),
                        ["attacker_auc_mlp_backbone"] = AttributeAttacker.HeldOutAuc(p.Users, labels, classes, AttackerKind.Mlp, context.Seed),
                        ["sensitive_encoder_accuracy"] = s.TrainAccuracy,
                    };
                }),
            ],
        };
    }
}
