using System.Composition;
using Microsoft.Extensions.Logging;
using Untangle.Contracts.Components;
using Untangle.Contracts.Training;
using Untangle.Plugins.Foundation;
using Untangle.Plugins.InfoBounds;
using static TorchSharp.torch;

namespace Untangle.Plugins.Dcid;

/// <summary>
/// DCID (Xia, Huang, Zhu, Zhao, "Achieving Cross Modal Generalization with Multimodal Unified
/// Representation", NeurIPS 2023; official code haihuangcode/CMG) for item modalities, in one run:
/// <list type="number">
///   <item>Representation phase, an engine phase run from Build (<see cref="DcidPretraining"/>): per modality a common encoder
///   Φ_m and a specific encoder Ψ_m (<see cref="ModalityParts"/>), trained on
///   Σ_m (reconstruction + commitment + CLUB(Φ_m; Ψ_m)) + cross-modal InfoNCE (<see cref="DcidObjective"/>),
///   the commons quantised by a codebook shared by the modalities (<see cref="SharedCodebook"/>, MM-EMA),
///   CLUB's q networks fitted in their own steps.</item>
///   <item>Recommendation phase, the engine's one step "bpr" per batch: BPR on e_u·(e_i + W r_i) with
///   r_i the frozen commons (or codes) of the item (<see cref="DcidRecommender"/>), optionally LightGCN
///   propagation from Foundation's slots; validation-based model selection by the engine.</item>
/// </list>
/// Analyses "disentanglement" and "transfer" (<see cref="DcidAnalyses"/>) on the representation.
/// </summary>
/// <remarks>
/// <para><b>Slots.</b> "club" (default club; club-sample or orthogonality fit the same slot: one
/// estimator per modality between Φ_m(x) and Ψ_m(x), arguments x_dim, y_dim); "contrast" (infonce; the
/// cross-modal bound between the commons, which must be as wide as each other); "graph" and "encoder"
/// (used only with hyper.backbone = lightgcn).</para>
/// <para><b>Ablations.</b> use_club, use_contrast, use_codebook (specs/dcid-pamd.md: without CLUB,
/// without the cross-modal InfoNCE, without MM-EMA/the codebook).</para>
/// <para><b>Deviations.</b> MLP encoders for feature vectors; self pairs of the InfoNCE from a
/// feature-dropout view (<see cref="CrossModalContrast"/>); no cross-modal code-matching term; smaller
/// sizes than the paper's 400 × 256 codebook.</para>
/// </remarks>
[ExportComponent(ComponentKind.Method, DcidPlugin.Dcid,
    Description = "Dual cross-modal information disentangling of item modalities (common/specific encoders, CLUB inside each modality, cross-modal InfoNCE, shared MM-EMA codebook), then BPR over the frozen commons",
    Citation = DcidPlugin.Citation)]
[Shared]
public sealed class DcidMethod : IMethod
{
    public MethodDeclaration Declare() => new()
    {
        BatchKind = BatchKind.Triples,
        Slots =
        [
            new Slot("club", ComponentKind.MutualInformationEstimator, InfoBoundsPlugin.Club,
                "the bound minimised between each modality's common and specific parts (arguments x_dim = common_size, y_dim = specific_size; DCID's q: hyper.club.hidden_size = 256, hidden_layers = 3; orthogonality needs common_size = specific_size)")
            {
                Training = SlotTraining.Method, // the representation phase fits q on hyper.club_schedule (DcidPretraining)
            },
            new Slot("contrast", ComponentKind.MutualInformationEstimator, InfoBoundsPlugin.InfoNce,
                "the bound maximised between the modalities' commons (cross pairs weight 1, self pairs hyper.self_pair_weight; arguments x_dim = y_dim = common_size)")
            {
                // An estimator with a network of its own (learned-infonce) is fitted by the engine within the representation phase.
                Training = SlotTraining.Engine,
            },
            .. LightGcnSlots.Both(
                "the normalised user-item graph (hyper.backbone = lightgcn only)",
                "the graph encoder that propagates the recommender's embeddings (hyper.backbone = lightgcn only)"),
        ],
        HyperParameters = DcidHyperParameters.Specs,
        FoldsInUsers = false,
    };

    public TrainingGraph Build(MethodContext context)
    {
        var hyper = DcidHyperParameters.Read(context.Hyper);
        var logger = context.Logger;
        var (names, features, raw) = ItemModalities.Read(context.Dataset, context.Split, hyper.Modalities, context.Device);
        var modules = new Dictionary<string, nn.Module>();

        // 1. The representation phase.
        var parts = features.Select(f => new ModalityParts((int)f.shape[1], hyper.CommonSize, hyper.SpecificSize, hyper.HiddenSize, context.Device)).ToList();
        var codebook = hyper.UseCodebook
            ? new SharedCodebook(hyper.CodebookSize, hyper.CommonSize, hyper.Decay, hyper.DeadAfter, hyper.ActiveWithin, context.Random, context.Device)
            : null;
        var model = new DcidModel(names, parts, codebook, hyper.ReconstructFromCodes);
        modules["representation"] = model;
        List<IMutualInformationEstimator>? clubs = null;
        if (hyper.UseClub)
        {
            clubs = names.Select(_ => context.Create<IMutualInformationEstimator>("club",
                new Dictionary<string, object> { ["x_dim"] = hyper.CommonSize, ["y_dim"] = hyper.SpecificSize })).ToList();
            for (int m = 0; m < names.Count; m++)
                if (clubs[m].Module is { } q) modules[$"club.{names[m]}"] = q;
        }
        var contrast = hyper.UseContrast
            ? context.Create<IMutualInformationEstimator>("contrast", new Dictionary<string, object> { ["x_dim"] = hyper.CommonSize, ["y_dim"] = hyper.CommonSize })
            : null;
        var objective = new DcidObjective(model, clubs, contrast, hyper, context.ComponentIn("club"), context.ComponentIn("contrast"));
        logger.LogInformation("dcid: modalities {Modalities} ({Widths} columns); club slot {Club}, contrast slot {Contrast}, codebook {Codebook}",
            string.Join(", ", names), string.Join(", ", features.Select(f => f.shape[1])),
            hyper.UseClub ? context.ComponentIn("club") : "off (use_club = false)", hyper.UseContrast ? context.ComponentIn("contrast") : "off (use_contrast = false)",
            hyper.UseCodebook ? $"{hyper.CodebookSize} x {hyper.CommonSize}" : "off");
        var phaseModules = modules.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
        context.RunPhase(DcidPretraining.Phase(objective, features, clubs, phaseModules, hyper, context.Random));
        foreach (var p in model.parameters()) p.requires_grad = false;
        foreach (var club in clubs ?? [])
            foreach (var p in club.Module?.parameters() ?? []) p.requires_grad = false;
        var representation = ItemRepresentation.Encode(model, features);
        foreach (var f in features) f.Dispose();

        // 2. The recommendation phase.
        IGraphEncoder? encoder = null;
        Tensor? adjacency = null;
        if (hyper.Backbone == "lightgcn")
        {
            adjacency = context.Create<IGraphBuilder>("graph").Build(new GraphInput { Interactions = context.Split.Train, Device = context.Device });
            encoder = context.Create<IGraphEncoder>("encoder");
            modules["encoder"] = encoder.Module;
        }
        var ego = new UserItemEmbeddings(context.Split.UserCount, context.Split.ItemCount, hyper.EmbeddingSize, hyper.InitStd, context.Random, context.Device);
        var recommenderInput = representation.RecommenderInput(hyper.RecommenderInput, context.Device);
        // |r|, the width W projects from (0 for 'none'): what a batch's cost follows (bench perf's FLOP count).
        long inputWidth = recommenderInput is null ? 0 : recommenderInput.shape[1];
        var recommender = new DcidRecommender(ego, recommenderInput, encoder, adjacency, context.Device);
        modules["recommender"] = recommender;

        var bpr = new OptimizationStep
        {
            Name = "bpr",
            Parameters = [.. recommender.parameters(), .. encoder?.Module.parameters() ?? []],
            // MF's user table is read by row only (train.row_updates); the item table is read whole.
            Tables = recommender.RowReadTables,
            Optimizer = OptimizerSpec.Adam(hyper.LearningRate),
            Loss = step =>
            {
                var batch = step.Batch;
                var (u, items) = recommender.ForBatch(batch.Users);
                var ranking = BprObjective.Loss(
                    BprObjective.RowScores(u, items.index_select(0, batch.Positives!)),
                    BprObjective.RowScores(u, items.index_select(0, batch.Negatives!)));
                // Without a graph encoder u is already the ego rows (read by row once).
                var l2 = BprObjective.EgoL2(encoder is null ? u : ego.Users(batch.Users), ego.Items(batch.Positives!), ego.Items(batch.Negatives!), hyper.RegWeight);
                step.Record("bpr", ranking);
                step.Record("l2", l2);
                return ranking + l2;
            },
        };

        return new TrainingGraph
        {
            Steps = [bpr],
            Systems = [new StageSystem("dcid-forget-scoring-tables", Stage.AfterBatch, _ => recommender.ForgetScoringTables())],
            Scorer = new Scorer(batch =>
            {
                TrainedUsers.Require(batch.Users, DcidPlugin.Dcid);
                var (users, items) = recommender.ScoringTables();
                return users.index_select(0, batch.Users).mm(items.t());
            }),
            Modules = modules,
            Analyses =
            [
                new RunAnalysis("disentanglement", () => DcidAnalyses.Disentanglement(context.Dataset, context.Split, names, representation, context.Seed, logger)),
                new RunAnalysis("transfer", () => DcidAnalyses.Transfer(context.Dataset, context.Split, names, representation, raw, context.Seed, logger)),
                new RunAnalysis("resources", () => new Dictionary<string, double> { ["recommender_input_width"] = inputWidth }),
            ],
        };
    }
}
