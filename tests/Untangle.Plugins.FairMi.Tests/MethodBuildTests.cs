using Microsoft.Extensions.Logging.Abstractions;
using Untangle.Contracts.Components;
using Untangle.Contracts.Data;
using Untangle.Contracts.Settings;
using Untangle.Contracts.Training;
using Untangle.Plugins.Foundation;
using Untangle.Plugins.InfoBounds;
using static TorchSharp.torch;

namespace Untangle.Plugins.FairMi.Tests;

/// <summary>Builds FairMI on the two communities with components created the way the host creates them for slots.</summary>
public class MethodBuildTests
{
    /// <summary>Each slot's default component by name, made as the host makes it (the upper bounds clamped at zero, as FairMI's recipe asks).</summary>
    private static readonly Dictionary<string, Func<string, IReadOnlyDictionary<string, object>, object>> Components = new()
    {
        [InfoBoundsPlugin.ConditionalInfoNce] = (slot, arguments) => SlotComponent.Make(new ConditionalInfoNceFactory(), slot, arguments: arguments),
        [InfoBoundsPlugin.ClubSample] = (slot, arguments) => SlotComponent.Make(new ClubSampleFactory(), slot,
            slot.Contains("upper") ? new Dictionary<string, string> { ["clamp_at_zero"] = "true" } : null, arguments),
        [FoundationPlugin.UserItemGraph] = (slot, arguments) => SlotComponent.Make(new UserItemGraphFactory(), slot, arguments: arguments),
        [FoundationPlugin.LightGcnEncoder] = (slot, arguments) => SlotComponent.Make(new LightGcnEncoderFactory(), slot, arguments: arguments),
        [InfoBoundsPlugin.ClubCategorical] = (slot, arguments) => SlotComponent.Make(new CategoricalClubFactory(), slot, arguments: arguments),
    };

    /// <summary>Builds <paramref name="method"/>; <paramref name="components"/> names a slot's component where it is not the default.</summary>
    private static TrainingGraph Build(IMethod method, Dataset data, Dictionary<string, string> hyper, Dictionary<string, string>? components = null)
    {
        var declaration = method.Declare();
        var split = new Split
        {
            Protocol = "hand-made",
            Train = data.Interactions,
            Validation = Fixtures.Ranking(data, [[0]], data.Interactions).Set,
            Test = Fixtures.Ranking(data, [[0]], data.Interactions).Set,
            UserToDataset = Enumerable.Range(0, data.UserCount).ToArray(),
            ItemToDataset = Enumerable.Range(0, data.ItemCount).ToArray(),
        };
        object Create(string slot, IReadOnlyDictionary<string, object> arguments)
        {
            var name = components?.GetValueOrDefault(slot) ?? declaration.Slots.Single(s => s.Name == slot).DefaultComponent;
            return Components[name](slot, arguments);
        }
        return method.Build(MethodContexts.For(method, data, split, hyper, Create, seed: 1, batchSize: 16, batchesPerEpoch: 4,
            phases: Untangle.Host.Training.PhaseRunner.InMemory(NullLogger.Instance)));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Build_trains_s_and_p_first_and_returns_the_fairmi_steps_and_the_fairness_analysis(bool lightGcn)
    {
        manual_seed(11);
        var data = Communities.Build();
        IMethod method = lightGcn ? new FairMiLightGcnMethod() : new FairMiBprMethod();
        var graph = Build(method, data, new() { ["sensitive_epochs"] = "20", ["p_epochs"] = "1", ["embedding_size"] = "8", ["item_upper"] = "true" });

        graph.Steps.Select(s => s.Name).Should().Equal("fairmi", "upper-fit", "item-upper-fit");
        graph.Steps[1].Schedule.Should().Be(Schedule.PerEpoch(50), "FairMI fits CLUB 50 steps per epoch on full embeddings");
        graph.Modules.Keys.Should().Contain(["model", "preference", "upper", "item_upper"]);
        graph.Modules["preference"].parameters().Should().OnlyContain(p => !p.requires_grad, "p is frozen");

        using (var scope = NewDisposeScope())
        {
            var batch = new TrainingBatch
            {
                Kind = BatchKind.Triples, Epoch = 1, Index = 0, GlobalBatch = 0, Device = CPU,
                Users = tensor(new long[] { 0, 1, 9, 9 }), Positives = tensor(new long[] { 0, 1, 7, 8 }), Negatives = tensor(new long[] { 7, 8, 0, 1 }),
            };
            var terms = new Dictionary<string, double>();
            var loss = graph.Steps[0].Loss(new StepContext(batch, (k, v) => terms[k] = v));
            double.IsFinite(loss.item<float>()).Should().BeTrue();
            terms.Keys.Should().Contain(["bpr", "lower_user", "lower_item", "upper_user", "upper_item"]);
            loss.backward();
            graph.Steps[0].Parameters.Any(p => p.grad is not null && p.grad.abs().sum().item<float>() > 0).Should().BeTrue("the main loss reaches z");

            var full = new TrainingBatch { Kind = BatchKind.FullGraph, Epoch = 1, Index = 0, GlobalBatch = 0, Device = CPU, Users = zeros(0, dtype: ScalarType.Int64) };
            double.IsFinite(graph.Steps[1].Loss(new StepContext(full, (_, _) => { })).item<float>()).Should().BeTrue();

            using var noGrad = no_grad();
            var scores = graph.Scorer.Score(new ScoringBatch { Users = tensor(new long[] { 0, 3 }), Known = Interactions.Empty(2, data.ItemCount), Device = CPU });
            scores.shape.Should().Equal(2, data.ItemCount);
        }
        var fairness = graph.Analyses.Single(a => a.Name == "fairness").Compute();
        fairness.Keys.Should().Contain(["attacker_auc", "attacker_auc_mlp", "attacker_auc_backbone", "attacker_auc_mlp_backbone",
            "js_dp@10_backbone", "js_dp@10_floor", "js_dp@10_backbone_floor"]);
        fairness["attacker_auc"].Should().BeInRange(0, 1);
        foreach (var module in graph.Modules.Values.Distinct()) module.Dispose();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void The_MF_interest_tables_are_read_by_row_and_LightGCNs_are_read_whole(bool lightGcn)
    {
        manual_seed(5);
        var data = Communities.Build();
        IMethod method = lightGcn ? new FairMiLightGcnMethod() : new FairMiBprMethod();
        var graph = Build(method, data, new() { ["sensitive_epochs"] = "2", ["p_epochs"] = "1", ["embedding_size"] = "8" });

        var main = graph.Steps.Single(s => s.Name == "fairmi");
        if (lightGcn)
        {
            main.Tables.Should().BeEmpty("LightGCN's propagation reads both tables whole on every batch");
        }
        else
        {
            // z's user and item tables, so train.row_updates applies to them.
            var z = graph.Modules["model"].parameters().Select(p => p.Handle).ToList();
            main.Tables.Select(t => t.Table.Handle).Should().Equal(z);
            main.Tables.Select(t => t.Table.shape[0]).Should().Equal(data.UserCount, data.ItemCount);
        }
        foreach (var module in graph.Modules.Values.Distinct()) module.Dispose();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void P_comes_from_a_checkpoint_when_one_is_given(bool folder)
    {
        manual_seed(3);
        var data = Communities.Build();
        var hyper = new Dictionary<string, string> { ["sensitive_epochs"] = "5", ["p_epochs"] = "2", ["embedding_size"] = "8" };
        var first = Build(new FairMiBprMethod(), data, hyper);
        var root = Scratch.Folder("fairmi-p-").FullName;
        var best = Directory.CreateDirectory(Path.Combine(root, "checkpoint", "snapshot-000003", "best")).FullName;
        var file = Path.Combine(best, "embeddings.pt");
        first.Modules["preference"].save(file);
        var saved = first.Modules["preference"].state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.clone());
        try
        {
            var second = Build(new FairMiBprMethod(), data, new(hyper) { ["p_checkpoint"] = folder ? root : file });
            foreach (var (key, value) in second.Modules["preference"].state_dict())
                value.allclose(saved[key]).Should().BeTrue($"p's {key} is the checkpoint's");
            second.Modules["preference"].parameters().Should().OnlyContain(p => !p.requires_grad, "a loaded p is frozen too");
            foreach (var module in second.Modules.Values.Distinct()) module.Dispose();
        }
        finally
        {
            Directory.Delete(root, recursive: true);
            foreach (var module in first.Modules.Values.Distinct()) module.Dispose();
        }
    }

    [Fact]
    public void A_checkpoint_path_without_a_module_fails_naming_the_key()
    {
        var act = () => Build(new FairMiBprMethod(), Communities.Build(),
            new() { ["sensitive_epochs"] = "1", ["embedding_size"] = "8", ["p_checkpoint"] = Path.GetTempPath() });
        act.Should().Throw<ArgumentException>().WithMessage("*hyper.p_checkpoint*snapshot-*best*");
    }

    [Fact]
    public void An_unknown_sensitive_attribute_fails_listing_the_attributes()
    {
        var act = () => Build(new FairMiBprMethod(), Communities.Build(), new() { ["sensitive_attribute"] = "age" });
        act.Should().Throw<ArgumentException>().WithMessage("*hyper.sensitive_attribute*'age'*gender*");
    }

    [Theory]
    [InlineData("normal")]
    [InlineData("xavier_uniform")]
    public void Hyper_init_draws_z_and_p_from_the_normal_or_from_the_official_Xavier_uniform(string init)
    {
        manual_seed(9);
        var data = Communities.Build();
        const int d = 32;
        var graph = Build(new FairMiBprMethod(), data, new() { ["sensitive_epochs"] = "1", ["p_epochs"] = "0", ["embedding_size"] = $"{d}", ["init"] = init });

        // z untrained, and p with no epoch: both as drawn. Xavier: U(±√(6 / (rows + d))), std = bound / √3.
        foreach (var name in new[] { "model", "preference" })
        {
            var tables = graph.Modules[name].parameters().ToList();
            tables.Select(t => t.shape[0]).Should().Equal(data.UserCount, data.ItemCount);
            foreach (var table in tables)
            {
                double bound = Math.Sqrt(6.0 / (table.shape[0] + d));
                double std = table.std().item<float>(), largest = table.abs().max().item<float>();
                if (init == "normal")
                    std.Should().BeApproximately(0.1, 0.015, $"{name}: N(0, 0.1²)");
                else
                {
                    largest.Should().BeLessThanOrEqualTo(bound, $"{name}: within the Xavier bound");
                    std.Should().BeApproximately(bound / Math.Sqrt(3), 0.15 * bound / Math.Sqrt(3), $"{name}: uniform over the whole bound");
                }
            }
        }
        foreach (var module in graph.Modules.Values.Distinct()) module.Dispose();
    }

    [Fact]
    public void An_unknown_init_fails_naming_the_key_and_the_choices()
    {
        var act = () => Build(new FairMiBprMethod(), Communities.Build(), new() { ["init"] = "xavier" });
        act.Should().Throw<ArgumentException>().WithMessage("hyper.init: 'xavier' is not known; expected normal or xavier_uniform");
    }

    [Fact]
    public void Reg_on_final_takes_LightGCNs_L2_on_the_propagated_rows_the_BPR_term_scored()
    {
        manual_seed(4);
        var data = Communities.Build();
        using var scope = NewDisposeScope();
        using var ego = new UserItemEmbeddings(data.UserCount, data.ItemCount, 8, 0.1, new Random(2), CPU);
        using var propagation = new LightGcnPropagation(3);
        var backbone = InterestBackbone.LightGcn(ego, propagation, NormalizedBipartiteGraph.Build(data.Interactions, CPU, selfLoops: true));
        var (users, positives, negatives) = (tensor(new long[] { 0, 1, 9 }), tensor(new long[] { 0, 1, 7 }), tensor(new long[] { 7, 8, 0 }));
        const double reg = 1e-3;
        // reg · (‖u‖² + ‖i‖² + ‖j‖²) / 2 / B on the given rows (the official bpr_loss's emb_loss).
        double L2((Tensor Users, Tensor Items) rows) =>
            reg * (rows.Users.index_select(0, users).square().sum().item<float>() + rows.Items.index_select(0, positives).square().sum().item<float>()
                   + rows.Items.index_select(0, negatives).square().sum().item<float>()) / 2 / 3;

        var onEgo = backbone.BprTerms(users, positives, negatives, reg).L2.item<float>();
        var onFinal = backbone.BprTerms(users, positives, negatives, reg, regOnFinal: true).L2.item<float>();

        onEgo.Should().BeApproximately((float)L2((ego.UserTable, ego.ItemTable)), 1e-9f);
        onFinal.Should().BeApproximately((float)L2(backbone.Final()), 1e-9f);
        onFinal.Should().BeLessThan(onEgo, "propagation averages rows, so the final rows are shorter than the ego rows");
    }

    [Fact]
    public void Attacker_every_records_the_attacker_AUC_on_z_after_every_nth_epoch()
    {
        manual_seed(6);
        var data = Communities.Build();
        var hyper = new Dictionary<string, string> { ["sensitive_epochs"] = "2", ["p_epochs"] = "1", ["embedding_size"] = "8" };
        var plain = Build(new FairMiBprMethod(), data, hyper);
        plain.Systems.Select(s => s.Name).Should().NotContain("fairmi-attacker", "off by default");
        foreach (var module in plain.Modules.Values.Distinct()) module.Dispose();

        var graph = Build(new FairMiBprMethod(), data, new(hyper) { ["attacker_every"] = "2" });
        var attacker = graph.Systems.Single(s => s.Name == "fairmi-attacker");
        attacker.Stage.Should().Be(Stage.AfterEpoch);
        var recorded = new List<(int Epoch, string Key, double Value)>();
        foreach (var epoch in new[] { 1, 2, 3, 4 })
            attacker.Run(new StageContext { Epoch = epoch, BatchIndex = -1, GlobalBatch = 0, Device = CPU, Record = (k, v) => recorded.Add((epoch, k, v)) });

        recorded.Select(r => (r.Epoch, r.Key)).Should().Equal((2, "attacker_auc"), (4, "attacker_auc"));
        // The fairness analysis' logistic attacker on z's user table, with the run's seed (1 here).
        var labels = data.UserAttributes["gender"].Codes;
        var expected = AttributeAttacker.HeldOutAuc(graph.Modules["model"].parameters().First(), labels, 2, AttackerKind.Logistic, seed: 1);
        recorded[0].Value.Should().Be(expected);
        foreach (var module in graph.Modules.Values.Distinct()) module.Dispose();
    }

    [Fact]
    public void Upper_on_label_fits_a_categorical_CLUB_on_z_and_the_users_attribute()
    {
        manual_seed(12);
        var data = Communities.Build();
        var graph = Build(new FairMiBprMethod(), data, new() { ["sensitive_epochs"] = "2", ["p_epochs"] = "1", ["embedding_size"] = "8", ["upper_on"] = "label" },
            new() { ["upper"] = InfoBoundsPlugin.ClubCategorical });
        using var scope = NewDisposeScope();

        var full = new TrainingBatch { Kind = BatchKind.FullGraph, Epoch = 1, Index = 0, GlobalBatch = 0, Device = CPU, Users = zeros(0, dtype: ScalarType.Int64) };
        var fitLoss = graph.Steps.Single(s => s.Name == "upper-fit").Loss(new StepContext(full, (_, _) => { }));

        // The fit is q's cross-entropy on every user's z against the users' labels.
        var q = (nn.Module<Tensor, Tensor>)graph.Modules["upper"];
        var z = graph.Modules["model"].parameters().First();
        var labels = tensor(data.UserAttributes["gender"].Codes.Select(c => (long)c).ToArray());
        var expected = nn.functional.cross_entropy(q.forward(z.detach()), labels);
        fitLoss.item<float>().Should().BeApproximately(expected.item<float>(), 1e-6f);
        foreach (var module in graph.Modules.Values.Distinct()) module.Dispose();
    }

    [Fact]
    public void Upper_targets_are_s_s_standardised_per_dimension_or_the_one_hot_labels()
    {
        using var scope = NewDisposeScope();
        var s = new SensitiveEncoder.Result(tensor(new float[] { 1, 10, 3, 20, 5, 60 }, [3, 2]), tensor(new float[] { 2, 4, 6, 8 }, [2, 2]), 1.0);
        int[] labels = [1, 0, 1];

        var (users, items) = FairMiRecipe.UpperTargets("s", s, labels, 2);
        users.allclose(s.Users).Should().BeTrue();
        items.allclose(s.Items).Should().BeTrue();

        (users, items) = FairMiRecipe.UpperTargets("standardised_s", s, labels, 2);
        users.mean([0]).abs().max().item<float>().Should().BeLessThan(1e-6f);
        users.std(0, unbiased: false).sub(1).abs().max().item<float>().Should().BeLessThan(1e-5f);
        users[0, 0].item<float>().Should().BeApproximately((float)(-2 / Math.Sqrt(8.0 / 3)), 1e-5f, "(1 − 3) / population std of 1, 3, 5");
        items.std(0, unbiased: false).sub(1).abs().max().item<float>().Should().BeLessThan(1e-5f);

        (users, _) = FairMiRecipe.UpperTargets("label", s, labels, 2);
        users.data<float>().ToArray().Should().Equal(0, 1, 1, 0, 0, 1);
    }

    [Theory]
    [InlineData("upper_on", "lbl", "hyper.upper_on: 'lbl' is not known; expected s, standardised_s or label")]
    [InlineData("item_upper", "true", "hyper.upper_on: label pairs z with the users' attribute, which items do not have; expected item_upper = false with it")]
    public void A_bad_upper_on_fails_naming_the_key(string key, string value, string message)
    {
        var hyper = new Dictionary<string, string> { ["upper_on"] = "label", [key] = value };
        var act = () => Build(new FairMiBprMethod(), Communities.Build(), hyper);
        act.Should().Throw<ArgumentException>().WithMessage(message);
    }

    [Fact]
    public void A_FairMI_results_folder_gives_its_p_not_its_z()
    {
        // A FairMI run's best snapshot holds model.pt (z, the debiased encoder) beside preference.pt (its plain p).
        var root = Scratch.Folder("fairmi-p-folder-").FullName;
        var best = Directory.CreateDirectory(Path.Combine(root, "checkpoint", "snapshot-000004", "best")).FullName;
        foreach (var file in new[] { "model.pt", "preference.pt", "upper.pt" }) File.WriteAllText(Path.Combine(best, file), "");
        try
        {
            PreferenceCheckpoint.Resolve(root).Should().Be(Path.Combine(best, "preference.pt"));
            File.Delete(Path.Combine(best, "preference.pt"));
            PreferenceCheckpoint.Resolve(root).Should().Be(Path.Combine(best, "model.pt"), "a lightgcn run's folder has only its model");
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
