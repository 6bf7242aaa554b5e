using Untangle.Contracts.Analysis;
using Untangle.Contracts.Components;
using Untangle.Contracts.Training;
using Untangle.Plugins.MacridVae;
using Untangle.Plugins.VaeCF;
using static TorchSharp.torch;

namespace Untangle.Plugins.VaeFamily.Tests;

/// <summary>MacridVAE's own parts: the concept assignment, the shared encoder, annealing, the analysis.</summary>
public class MacridVaeTests
{
    private static ConceptAssignment Assignment(bool gumbel = true, int concepts = 3, int dim = 4) =>
        (ConceptAssignment)SlotComponent.Make(new ConceptAssignmentFactory(), "assignment",
            arguments: new Dictionary<string, object> { ["dim"] = dim, ["concepts"] = concepts, ["tau"] = 0.1, ["random"] = new Random(1) },
            settings: new Dictionary<string, string> { ["gumbel"] = gumbel ? "true" : "false" });

    [Fact]
    public void At_evaluation_the_assignment_is_the_softmax_of_cosines_over_tau()
    {
        using var scope = NewDisposeScope();
        using var assignment = Assignment();
        assignment.eval();
        var items = tensor(new[] { 1f, 0, 0, 0, 0, 2, 0, 0, 3, 3, 3, 3 }).reshape(3, 4);

        var c = assignment.Encode(items);
        var prototypes = assignment.Prototypes.detach();
        var cosine = items.mm(prototypes.t()) / (items.norm(1, true) * prototypes.norm(1, true).t());
        c.shape.Should().Equal(3, 3);
        c.allclose((cosine / 0.1).softmax(1), rtol: 1e-5, atol: 1e-6).Should().BeTrue();
        // Cosine, not a dot product: scaling an item does not move it between concepts.
        assignment.Encode(items * 10).allclose(c, rtol: 1e-5, atol: 1e-6).Should().BeTrue();
    }

    [Fact]
    public void In_training_the_assignment_is_a_fresh_Gumbel_softmax_sample_unless_turned_off()
    {
        using var scope = NewDisposeScope();
        using var assignment = Assignment();
        using var plain = Assignment(gumbel: false);
        var items = randn(6, 4);
        assignment.eval();
        var mode = assignment.Encode(items);

        assignment.train();
        manual_seed(1);
        var first = assignment.Encode(items);
        var second = assignment.Encode(items);
        first.sum(1).allclose(ones(6)).Should().BeTrue();
        first.allclose(mode).Should().BeFalse();
        first.allclose(second).Should().BeFalse();

        plain.train();
        var plainTraining = plain.Encode(items);
        plain.eval();
        plainTraining.allclose(plain.Encode(items)).Should().BeTrue("gumbel = false is the code's --nogb: the softmax in training too");
    }

    [Fact]
    public void The_shared_encoder_gives_two_d_outputs_the_same_for_sparse_and_dense_rows()
    {
        using var scope = NewDisposeScope();
        using var encoder = (ConceptEncoder)SlotComponent.Make(new ConceptEncoderFactory(), "encoder",
            arguments: new Dictionary<string, object> { ["items"] = 5, ["dim"] = 3, ["random"] = new Random(2) });
        var rows = SparseRows.From(RowTensors.Sparse(Fixtures.Matrix(5, [0, 4], [2]), CPU)).L2Normalized();

        var sparse = encoder.Encode(rows.ToSparse());
        sparse.shape.Should().Equal(2, 6);
        sparse.allclose(encoder.Encode(rows.ToDense()), rtol: 1e-5, atol: 1e-6).Should().BeTrue();
        encoder.parameters().Sum(p => p.numel()).Should().Be(5 * 3 + 3 + 3 * 6 + 6, "W0 (M x d), b0, W1 (d x 2d), b1");
    }

    [Fact]
    public void A_concepts_input_is_the_normalised_weighted_row_and_its_gradient_reaches_the_weights()
    {
        using var scope = NewDisposeScope();
        using var encoder = (ConceptEncoder)SlotComponent.Make(new ConceptEncoderFactory(), "encoder",
            arguments: new Dictionary<string, object> { ["items"] = 5, ["dim"] = 3, ["random"] = new Random(2) });
        var rows = SparseRows.From(RowTensors.Sparse(Fixtures.Matrix(5, [0, 1, 4], [2], []), CPU));
        var weights = tensor(new[] { 0.1f, 0.7f, 0.2f, 0.5f, 0.9f }).requires_grad_(true);

        var folded = encoder.Encode(rows, weights, keep: 0.5, training: false);
        var dense = rows.ToDense() * weights.unsqueeze(0);
        var explicitInput = dense * dense.pow(2).sum(1, keepdim: true).clamp_min(1e-12).rsqrt();
        folded.allclose(encoder.Encode(explicitInput), rtol: 1e-5, atol: 1e-6).Should().BeTrue("(x ⊙ c / n)·W0 = diag(1/n)·x·(c ⊙ W0)");

        folded.sum().backward();
        weights.grad!.abs().sum().item<float>().Should().BePositive("the assignment learns through the encoder's input too");
        weights.grad!.data<float>()[3].Should().Be(0, "item 3 is in no row");
    }

    [Fact]
    public void A_concepts_dropout_keeps_each_item_with_the_keep_probability()
    {
        using var scope = NewDisposeScope();
        using var encoder = (ConceptEncoder)SlotComponent.Make(new ConceptEncoderFactory(), "encoder",
            arguments: new Dictionary<string, object> { ["items"] = 5, ["dim"] = 3, ["random"] = new Random(2) });
        var rows = SparseRows.From(RowTensors.Sparse(Fixtures.Matrix(5, [0, 1, 2, 3, 4]), CPU));
        var weights = ones(5);
        var clean = encoder.Encode(rows, weights, keep: 0.5, training: false);

        manual_seed(8);
        var outputs = Enumerable.Range(0, 50).Select(_ => encoder.Encode(rows, weights, keep: 0.5, training: true)).ToList();
        outputs.Count(o => o.allclose(clean)).Should().BeLessThan(5, "with 5 items kept at 1/2, all kept is 1 in 32");
        outputs.Select(o => o.sum().item<float>()).Distinct().Count().Should().BeGreaterThan(10);
    }

    /// <summary>An encoder from "another plugin": only the IRowEncoder contract, dense prepared rows.</summary>
    private sealed class ContractOnlyEncoder(ConceptEncoder inner) : IRowEncoder
    {
        public nn.Module Module => inner;
        public Tensor Encode(Tensor rows) => inner.Encode(rows);
        public void Dispose() { }
    }

    [Fact]
    public void Another_row_encoder_in_the_slot_gets_the_same_concept_inputs()
    {
        using var scope = NewDisposeScope();
        var hyper = MacridVaeHyperParameters.Read(Untangle.Contracts.Settings.SettingValues.Resolve("hyper", MacridVaeHyperParameters.Specs,
            new Dictionary<string, string> { ["dim"] = "3", ["concepts"] = "2" }));
        using var generator = new Generator(3, CPU);
        using var items = new ItemEmbeddings(5, 3, generator);
        using var assignment = Assignment(concepts: 2, dim: 3);
        using var encoder = (ConceptEncoder)SlotComponent.Make(new ConceptEncoderFactory(), "encoder",
            arguments: new Dictionary<string, object> { ["items"] = 5, ["dim"] = 3, ["random"] = new Random(2) });
        var rows = SparseRows.From(RowTensors.Sparse(Fixtures.Matrix(5, [0, 1, 4], [2, 3]), CPU));
        foreach (var m in new nn.Module[] { items, assignment, encoder }) m.eval();

        var own = new MacridVaeModel(items, assignment, encoder, hyper).Forward(rows);
        var foreign = new MacridVaeModel(items, assignment, new ContractOnlyEncoder(encoder), hyper).Forward(rows);

        foreign.Logits.allclose(own.Logits, rtol: 1e-4, atol: 1e-5).Should().BeTrue();
        foreign.Kl.item<float>().Should().BeApproximately(own.Kl.item<float>(), 1e-4f);
    }

    [Fact]
    public void The_KL_weight_reaches_beta_after_five_epochs_of_batches()
    {
        var (dataset, split) = Fixtures.Clustered();
        var method = new MacridVaeMethod();
        var context = Fixtures.Context(method, dataset, split, batchSize: 8, hyper: MethodCases.SmallHyper("macridvae"));
        context.BatchesPerEpoch.Should().Be(2);
        var graph = method.Build(context);
        try
        {
            foreach (var module in graph.Modules.Values) module.train();
            double Anneal(long step) => Fixtures.Evaluate(graph.Steps.Single(), Fixtures.Batch(split.Train, [0, 9], step)).Terms["anneal"];
            Anneal(0).Should().Be(0);
            Anneal(1).Should().BeApproximately(0.1, 1e-12, "1 / (5 × 2)");
            Anneal(2).Should().BeApproximately(0.2, 1e-12);
            Anneal(9).Should().BeApproximately(0.2, 1e-12, "capped at beta");
        }
        finally
        {
            Fixtures.Dispose(graph);
        }
    }

    [Fact]
    public void MultVAE_anneals_over_the_total_anneal_steps_to_the_cap()
    {
        var (dataset, split) = Fixtures.Clustered();
        var method = new MultVaeMethod();
        var graph = method.Build(Fixtures.Context(method, dataset, split, hyper: MethodCases.SmallHyper("multvae")));
        try
        {
            foreach (var module in graph.Modules.Values) module.train();
            double Beta(long step) => Fixtures.Evaluate(graph.Steps.Single(), Fixtures.Batch(split.Train, [0, 9], step)).Terms["beta"];
            Beta(0).Should().Be(0);
            Beta(20_000).Should().BeApproximately(0.1, 1e-12);
            Beta(500_000).Should().BeApproximately(0.2, 1e-12);
        }
        finally
        {
            Fixtures.Dispose(graph);
        }
    }

    [Fact]
    public void The_gradient_reaches_the_prototypes_and_the_item_embeddings()
    {
        var (dataset, split) = Fixtures.Clustered();
        var method = new MacridVaeMethod();
        var graph = method.Build(Fixtures.Context(method, dataset, split, hyper: MethodCases.SmallHyper("macridvae")));
        try
        {
            foreach (var module in graph.Modules.Values) module.train();
            using var scope = NewDisposeScope();
            graph.Steps.Single().Loss(new StepContext(Fixtures.Batch(split.Train, [0, 1, 9]), (_, _) => { })).backward();
            foreach (var key in new[] { "items", "assignment", "encoder" })
                foreach (var (name, parameter) in graph.Modules[key].named_parameters())
                    (parameter.grad?.abs().sum().item<float>() ?? 0).Should().BePositive($"{key}.{name} gets a gradient");
        }
        finally
        {
            Fixtures.Dispose(graph);
        }
    }

    [Fact]
    public void The_disentanglement_analysis_is_declared_when_items_have_categories()
    {
        var (dataset, split) = Fixtures.Clustered();
        var method = new MacridVaeMethod();
        var graph = method.Build(Fixtures.Context(method, dataset, split, hyper: MethodCases.SmallHyper("macridvae")));
        try
        {
            foreach (var module in graph.Modules.Values) module.eval();
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var analysis = graph.Analyses.Single();
            analysis.Name.Should().Be("disentanglement");
            var values = analysis.Compute();
            values["items_measured"].Should().Be(11);
            values["items_without_category"].Should().Be(1, "item 11 has no category");
            values["concepts"].Should().Be(2);
            values.Keys.Should().Contain(["nmi", "ari", "random_nmi", "random_ari"]);
        }
        finally
        {
            Fixtures.Dispose(graph);
        }

        var uncategorised = new Untangle.Contracts.Data.Dataset
        {
            Name = dataset.Name, UserIds = dataset.UserIds, ItemIds = dataset.ItemIds, Interactions = dataset.Interactions,
        };
        var plain = method.Build(Fixtures.Context(method, uncategorised, split, hyper: MethodCases.SmallHyper("macridvae")));
        plain.Analyses.Should().BeEmpty();
        Fixtures.Dispose(plain);
    }

    [Fact]
    public void Macro_disentanglement_compares_the_argmax_concepts_with_the_first_categories()
    {
        using var scope = NewDisposeScope();
        // 60 items in 3 categories; the assignment puts each category on its own concept (renamed).
        var categories = Enumerable.Range(0, 60).Select(i => i % 3).ToArray();
        categories[59] = -1;
        var assignment = zeros(60, 3);
        for (int i = 0; i < 60; i++) assignment[i, (i % 3 + 1) % 3] = 0.9f;

        var values = CategoryRecovery.Measure(assignment + 0.05f, categories, seed: 1);

        values["nmi"].Should().BeApproximately(1, 1e-12);
        values["ari"].Should().BeApproximately(1, 1e-12);
        values["random_nmi"].Should().BeLessThan(0.2);
        values["random_ari"].Should().BeLessThan(0.2);
        values["items_without_category"].Should().Be(1);
        values["concepts_used"].Should().Be(3);
    }

    [Fact]
    public void Item_labels_map_split_items_to_their_first_data_set_category()
    {
        var categories = new Untangle.Contracts.Data.ItemCategories(["a", "b", "c"], [[2, 0], [], [1]]);
        ItemCategoryLabels.Of(categories, [2, 0, 1]).Should().Equal(1, 2, -1);
    }
}
