using System.Composition;
using System.Diagnostics;
using TorchSharp;
using Untangle.Contracts.Components;
using Untangle.Contracts.Data;
using Untangle.Contracts.Training;
using Untangle.Plugins.Foundation;
using Untangle.Plugins.InfoBounds;
using static TorchSharp.torch;

namespace Untangle.Plugins.Mmssl;

/// <summary>
/// MMSSL (Wei, Huang, Xia, Zhang, "Multi-Modal Self-Supervised Learning for Recommendation", WWW 2023;
/// official code HKUDS/MMSSL). Per batch, two steps in this order:
/// <list type="number">
///   <item>"critic": the WGAN-GP critic (slot "critic", default "wgan-gp", on rows of length I) learns
///   to tell Gumbel-transformed interaction rows plus ζ·cos(h_u, h_i) (<see cref="GumbelRows"/>) from
///   the generated relation rows Â^m (<see cref="ModalityRelationGenerator"/>), Adam betas (0.5, 0.9).</item>
///   <item>"main": BPR on h_u·h_i + λ2·Σ_m InfoNCE(e_u^m, h_u) (slot "contrast", default "infonce")
///   + λ3·generator loss −D(Â^m) + L2 on the batch's ego embeddings.</item>
/// </list>
/// Systems: the modality-aware graphs are rebuilt every T batches; cached scoring tables are dropped
/// after every batch. Analysis "resources": the process's peak working set and the critic's rows.
/// </summary>
/// <remarks>
/// <para><b>Paper over official code</b> (specs/mmssl.md): real multi-head attention across the modality
/// views (official attention returns V); T = 2 and top-k ≥ 1 (official graphs are empty); (A + g)/τ in the
/// Gumbel transform; no softmax over the embedding dimension in propagation; the critic's LeakyReLU
/// has a real slope (InfoBounds' default; hyper.critic.leaky_slope = 1 gives the official identity).
/// Adam instead of AdamW for the main step (the engine's optimizers; weight decay is the L2 term).</para>
/// <para><b>As the official code</b> where the paper is silent: ζ = ui_pre_scale = 100 on the real rows'
/// affinity, known items left out of the affinity and of the generated rows, and every critic row
/// L2-normalised over the items (<see cref="GumbelRows"/>); the contrastive loss pairs the views
/// before attention (image_user_id / text_user_id) with h_u.</para>
/// <para><b>Other deviations.</b> The L2 term is on the batch's ego embeddings (official: on the final
/// embeddings); no feat_reg_decay term (1e-5 on the modality features); graph neighbours are ranked
/// with known items included (official zeroes them); the graphs are also rebuilt at the end of every
/// epoch, so the validated model's graphs follow from its parameters. hyper.item_self_features (off)
/// adds an item's own projection to f_i^m.</para>
/// <para><b>Memory.</b> The critic sees at most critic_rows distinct batch users per modality, each a row
/// of I floats, so its input is bounded by the batch, never users × items.</para>
/// <para><b>Ablations.</b> use_critic, use_contrastive, use_modality_graphs, use_attention.</para>
/// </remarks>
[ExportComponent(ComponentKind.Method, MmsslPlugin.Mmssl,
    Description = "Multi-modal self-supervised recommendation: adversarial modality-guided relation generator, cross-modal contrastive views with self-attention, LightGCN propagation",
    Citation = MmsslPlugin.Citation)]
[Shared]
public sealed class MmsslMethod : IMethod
{
    public MethodDeclaration Declare() => new()
    {
        BatchKind = BatchKind.Triples,
        Slots =
        [
            .. LightGcnSlots.Both(
                "the normalised user-item graph the ID embeddings propagate over",
                "the graph encoder (an IGraphEncoder; official: 2 layers, hyper.encoder.layers = 2)"),
            new Slot("critic", ComponentKind.Discriminator, InfoBoundsPlugin.WganGp, "the critic over relation rows of length I (argument input_dim = I; official gp weight 0.3)"),
            new Slot("contrast", ComponentKind.MutualInformationEstimator, InfoBoundsPlugin.InfoNce, "the contrastive bound between each modality view and the final user embedding (MMSSL: intra_view = true)"),
        ],
        HyperParameters = MmsslHyperParameters.Specs,
        FoldsInUsers = false,
    };

    public TrainingGraph Build(MethodContext context)
    {
        var hyper = MmsslHyperParameters.Read(context.Hyper);
        var (names, features) = ModalityInputs.Read(context.Dataset, context.Split, hyper.Modalities, context.Device);
        var adjacency = context.Create<IGraphBuilder>("graph").Build(new GraphInput { Interactions = context.Split.Train, Device = context.Device });
        var encoder = context.Create<IGraphEncoder>("encoder");
        int items = context.Split.ItemCount;

        var ego = new UserItemEmbeddings(context.Split.UserCount, items, hyper.EmbeddingSize, hyper.InitStd, context.Random, context.Device);
        var generator = new ModalityRelationGenerator(names, features, context.Split.Train, hyper.EmbeddingSize, hyper.FeatureDropout, context.Device)
            { SelfFeatures = hyper.ItemSelfFeatures };
        var attention = new CrossModalAttention(hyper.EmbeddingSize, hyper.Heads, context.Device);
        var model = new MmsslModel(ego, generator, attention, encoder, adjacency, hyper);
        var modules = new Dictionary<string, nn.Module> { ["model"] = model, ["encoder"] = encoder.Module };
        var steps = new List<OptimizationStep>();
        var memory = new CriticMemory();
        // λ2 and λ3 as Scalars held for the run (HeldScalars); the closures below keep them alive.
        var contrastWeight = hyper.ContrastWeight.ToScalar();
        var generatorWeight = hyper.GeneratorWeight.ToScalar();

        IDiscriminator? critic = null;
        if (hyper.UseCritic)
        {
            critic = context.Create<IDiscriminator>("critic", new Dictionary<string, object> { ["input_dim"] = items });
            modules["critic"] = critic.Module;
            steps.Add(new OptimizationStep
            {
                Name = "critic",
                Parameters = [.. critic.Module.parameters()],
                Optimizer = OptimizerSpec.Adam(hyper.CriticLearningRate, WganGpCritic.RecommendedBetas),
                Loss = step =>
                {
                    var users = CriticUsers(step.Batch, hyper.CriticRows);
                    Tensor real, fake;
                    using (no_grad())
                    {
                        var (hUsers, hItems) = memory.LastEmbeddings ?? model.ScoringTables();
                        var known = generator.KnownRows(users, context.Device);
                        using var index = tensor(users, device: context.Device);
                        var userRows = hUsers.index_select(0, index);
                        var generated = generator.Features();
                        fake = cat(generated.Select(f => generator.Relation(f.Users, f.Items, users, hyper.ZeroKnown, hyper.NormalizeRows)).ToArray(), 0);
                        // One fresh Gumbel draw per modality: each fake block is paired with its own real block.
                        real = cat(generated.Select(_ => GumbelRows.Real(known, hyper.GumbelTau, userRows, hItems, hyper.RealSignalWeight, hyper.ZeroKnown, hyper.NormalizeRows)).ToArray(), 0);
                    }
                    memory.Observe(real.shape[0] * 2, items);
                    var loss = critic.CriticLoss(real, fake);
                    step.Record("critic", loss);
                    return loss;
                },
            });
        }

        var contrast = hyper.UseContrastive && hyper.UseModalityGraphs ? context.Create<IMutualInformationEstimator>("contrast",
            new Dictionary<string, object> { ["x_dim"] = hyper.EmbeddingSize, ["y_dim"] = hyper.EmbeddingSize }) : null;
        steps.Add(new OptimizationStep
        {
            Name = "main",
            Parameters = [.. model.parameters(), .. encoder.Module.parameters()],
            Optimizer = OptimizerSpec.Adam(hyper.LearningRate),
            Loss = step =>
            {
                var batch = step.Batch;
                var pass = model.Forward();
                var u = pass.Users.index_select(0, batch.Users);
                // BPR and the ego L2 of BprObjective, written without temporary Scalars (HeldScalars).
                var positive = (u * pass.Items.index_select(0, batch.Positives!)).sum(1);
                var negative = (u * pass.Items.index_select(0, batch.Negatives!)).sum(1);
                var ranking = -nn.functional.logsigmoid(positive - negative).mean();
                using var l2Scale = (hyper.RegWeight / 2.0 / batch.Users.shape[0]).ToScalar();
                var l2 = ego.Users(batch.Users).Squared().sum()
                    .add(ego.Items(batch.Positives!).Squared().sum(), HeldScalars.One)
                    .add(ego.Items(batch.Negatives!).Squared().sum(), HeldScalars.One)
                    .mul(l2Scale);
                step.Record("bpr", ranking);
                step.Record("l2", l2);
                var loss = ranking.add(l2, HeldScalars.One);

                if (contrast is not null && pass.UserViews is { } views)
                {
                    using var distinct = tensor(DistinctUsers(batch, int.MaxValue), device: batch.Device);
                    var h = pass.Users.index_select(0, distinct);
                    Tensor cl = zeros(1, device: batch.Device).squeeze();
                    for (int m = 0; m < generator.Count; m++)
                        cl = cl - contrast.Estimate(views[m].index_select(0, distinct), h);
                    step.Record("contrastive", cl);
                    loss = loss.add(cl, contrastWeight);
                }
                if (critic is not null)
                {
                    var users = CriticUsers(batch, hyper.CriticRows);
                    var fake = cat(pass.Features.Select(f => generator.Relation(f.Users, f.Items, users, hyper.ZeroKnown, hyper.NormalizeRows)).ToArray(), 0);
                    var adversarial = critic.GeneratorLoss(fake);
                    step.Record("generator", adversarial);
                    loss = loss.add(adversarial, generatorWeight);
                }
                memory.Remember(pass.Users, pass.Items);
                return loss;
            },
        });

        var systems = new List<StageSystem>
        {
            new("mmssl-forget-scoring-tables", Stage.AfterBatch, _ => model.ForgetScoringTables()),
        };
        var states = new List<CheckpointedState>();
        if (hyper.UseModalityGraphs)
        {
            systems.Add(new StageSystem("mmssl-rebuild-modality-graphs", Stage.AfterBatch, _ => model.RebuildGraphs()) { EveryNBatches = hyper.RebuildEvery });
            // Before validation: the evaluated model's graphs are then a function of its parameters, so
            // restoring the best epoch's modules (load() rebuilds) gives back exactly what was validated.
            systems.Add(new StageSystem("mmssl-rebuild-modality-graphs-at-epoch-end", Stage.AfterEpoch, _ => model.RebuildGraphs()));
            // Between rebuilds the graphs lag the projections; a mid-epoch resume restores them as they were.
            states.Add(new CheckpointedState("mmssl-modality-graphs", model.Graphs.Save, text =>
            {
                model.Graphs.Restore(text);
                model.ForgetScoringTables();
            }));
        }

        return new TrainingGraph
        {
            Steps = steps,
            Systems = systems,
            Scorer = new Scorer(batch =>
            {
                TrainedUsers.Require(batch.Users, MmsslPlugin.Mmssl);
                var (users, itemTable) = model.ScoringTables();
                return users.index_select(0, batch.Users).mm(itemTable.t());
            }),
            Modules = modules,
            States = states,
            Analyses = [new RunAnalysis("resources", () => new Dictionary<string, double>(ModalityCoverage(model, names, hyper))
            {
                ["peak_working_set_mb"] = Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024.0),
                ["critic_rows_per_batch"] = memory.Rows,
                ["critic_input_mb"] = memory.Rows * (double)items * 4 / (1024.0 * 1024.0),
                ["modalities"] = names.Count,
                ["graph_builds"] = model.Graphs.Builds,
            })],
        };
    }

    /// <summary>Per modality, the share of items in some user's top-k (graph_coverage_&lt;name&gt;): a hub check.</summary>
    private static IEnumerable<KeyValuePair<string, double>> ModalityCoverage(MmsslModel model, IReadOnlyList<string> names, MmsslHyperParameters hyper) =>
        hyper.UseModalityGraphs
            ? names.Select((n, m) => KeyValuePair.Create($"graph_coverage_{n}", model.Graphs.Coverage(m)))
            : [];

    /// <summary>Distinct users of the batch in first-seen order, at most <paramref name="cap"/>.</summary>
    public static long[] DistinctUsers(TrainingBatch batch, int cap) =>
        batch.Users.contiguous().cpu().data<long>().ToArray().Distinct().Take(cap).ToArray();

    private static long[] CriticUsers(TrainingBatch batch, int cap)
    {
        var users = DistinctUsers(batch, cap);
        // Batch norm in training mode needs two rows; a one-user batch repeats its row.
        return users.Length >= 2 ? users : [users[0], users[0]];
    }

    /// <summary>The last main step's h (detached, for the critic's real rows) and the critic's largest input.</summary>
    private sealed class CriticMemory
    {
        public (Tensor Users, Tensor Items)? LastEmbeddings { get; private set; }
        public long Rows { get; private set; }

        public void Remember(Tensor users, Tensor items)
        {
            LastEmbeddings?.Users.Dispose();
            LastEmbeddings?.Items.Dispose();
            LastEmbeddings = (users.detach().DetachFromDisposeScope(), items.detach().DetachFromDisposeScope());
        }

        public void Observe(long rows, int items) => Rows = Math.Max(Rows, rows);
    }
}
