using Microsoft.Extensions.Logging.Abstractions;
using Untangle.Contracts.Components;
using Untangle.Plugins.InfoBounds;
using static TorchSharp.torch;

namespace Untangle.Plugins.Dcid.Tests;

public class DcidMethodTests
{
    private static readonly string[] Modalities = ["image", "text"];

    [Fact]
    public void Build_pretrains_the_representation_then_declares_one_BPR_step_over_the_recommender()
    {
        random.manual_seed(1);
        var graph = DcidFixture.Build();
        var (_, split) = DcidFixture.Data();

        graph.Steps.Select(s => s.Name).Should().Equal("bpr");
        graph.Modules.Keys.Should().BeEquivalentTo("representation", "club.image", "club.text", "recommender");
        var model = DcidFixture.Model(graph);
        model.parameters().Should().OnlyContain(p => !p.requires_grad, "the representation is frozen after its phase");
        graph.Steps[0].Parameters.Should().BeEquivalentTo(graph.Modules["recommender"].parameters());

        var (loss, terms) = DcidFixture.Loss(graph, "bpr", DcidFixture.Batch(split));
        terms.Keys.Should().BeEquivalentTo("bpr", "l2");
        loss.backward();
        graph.Modules["recommender"].parameters().Should().Contain(p => !ReferenceEquals(p.grad, null));

        using (no_grad())
        {
            var scores = graph.Scorer.Score(new Untangle.Contracts.Training.ScoringBatch { Users = tensor(new long[] { 0, 3 }), Known = split.Train, Device = CPU });
            scores.shape.Should().Equal(2, DcidFixture.Items);
        }
        DcidFixture.Dispose(graph);
    }

    [Theory]
    [InlineData("mf")]
    [InlineData("lightgcn")]
    public void The_MF_user_table_is_read_by_row_and_the_item_table_and_LightGCN_whole(string backbone)
    {
        random.manual_seed(2);
        var graph = DcidFixture.Build(new Dictionary<string, string> { ["backbone"] = backbone });
        var recommender = (DcidRecommender)graph.Modules["recommender"];
        var step = graph.Steps.Single(s => s.Name == "bpr");
        if (backbone == "mf")
            // e_i + W r_i is formed for every item on every batch, so only the user table is read by row.
            step.Tables.Select(t => t.Table.Handle).Should().Equal(recommender.Ego.UserTable.Handle);
        else
            step.Tables.Should().BeEmpty("the propagation reads both tables whole");
        DcidFixture.Dispose(graph);
    }

    [Fact]
    public void The_parts_have_the_configured_widths_and_the_decoder_returns_the_input_width()
    {
        random.manual_seed(2);
        var features = DcidFixture.Features();
        var model = new DcidModel(Modalities,
            features.Select(f => new ModalityParts((int)f.shape[1], 4, 3, 8, CPU)).ToList(),
            new SharedCodebook(6, 4, 0.99, 300, 100, new Random(1), CPU), reconstructFromCodes: true);

        var pass = model.Forward(features);

        pass.Commons.Select(c => c.shape).Should().AllBeEquivalentTo(new long[] { DcidFixture.Items, 4 });
        pass.Specifics.Select(c => c.shape).Should().AllBeEquivalentTo(new long[] { DcidFixture.Items, 3 });
        pass.Reconstructions[0].shape.Should().Equal(DcidFixture.Items, 4);
        pass.Reconstructions[1].shape.Should().Equal(DcidFixture.Items, 5);
        pass.Codes!.Select(c => c.shape).Should().AllBeEquivalentTo(new long[] { DcidFixture.Items });
        pass.Quantized![0].shape.Should().Equal(DcidFixture.Items, 4);
    }

    [Fact]
    public void The_reconstruction_term_is_the_MSE_of_decoding_the_codes_and_the_specific_part()
    {
        random.manual_seed(3);
        var features = DcidFixture.Features();
        var parts = features.Select(f => new ModalityParts((int)f.shape[1], 4, 3, 8, CPU)).ToList();
        var model = new DcidModel(Modalities, parts, new SharedCodebook(6, 4, 0.99, 300, 100, new Random(1), CPU), reconstructFromCodes: true);
        var objective = new DcidObjective(model, null, null, DcidFixture.Hyper(new Dictionary<string, string> { ["use_club"] = "false", ["use_contrast"] = "false" }));

        var (_, pass, terms) = objective.Compute(features, training: false);

        for (int m = 0; m < 2; m++)
        {
            // Forward value of the straight-through commons is the code vector.
            var expected = nn.functional.mse_loss(parts[m].Reconstruct(pass.Quantized![m], pass.Specifics[m]), features[m]).item<float>();
            terms[$"reconstruction.{Modalities[m]}"].item<float>().Should().BeApproximately(expected, 1e-5f);
        }
        terms.Keys.Should().BeEquivalentTo("reconstruction.image", "reconstruction.text", "commitment.image", "commitment.text");
    }

    [Fact]
    public void Training_the_representation_lowers_the_reconstruction_error()
    {
        random.manual_seed(4);
        var features = DcidFixture.Features();
        var hyper = DcidFixture.Hyper(new Dictionary<string, string> { ["use_club"] = "false", ["use_codebook"] = "false", ["pretrain_epochs"] = "60", ["pretrain_learning_rate"] = "1e-2" });
        var parts = features.Select(f => new ModalityParts((int)f.shape[1], 4, 3, 8, CPU)).ToList();
        var model = new DcidModel(Modalities, parts, null, false);
        var objective = new DcidObjective(model, null, null, hyper);
        double Error() { using var _ = no_grad(); return objective.Compute(features, false).Terms.Values.Sum(t => t.item<float>()); }

        double before = Error();
        var phase = DcidPretraining.Phase(objective, features, null, new Dictionary<string, nn.Module> { ["representation"] = model }, hyper, new Random(1));
        var outcome = Untangle.Host.Training.PhaseRunner.InMemory(NullLogger.Instance)(phase);

        outcome.Epochs.Should().Be(60);
        outcome.LastEpoch.Keys.Should().Contain(["representation", "reconstruction.image", "reconstruction.text"]);
        double after = Error();

        after.Should().BeLessThan(0.5 * before);
    }

    [Fact]
    public void The_ablation_switches_remove_their_terms_modules_and_codebook()
    {
        var features = DcidFixture.Features();
        IReadOnlyCollection<string> Terms(Dictionary<string, string> switches, bool club)
        {
            random.manual_seed(5);
            var hyper = DcidFixture.Hyper(switches);
            var model = new DcidModel(Modalities, features.Select(f => new ModalityParts((int)f.shape[1], 4, 3, 8, CPU)).ToList(),
                hyper.UseCodebook ? new SharedCodebook(6, 4, 0.99, 300, 100, new Random(1), CPU) : null, true);
            var clubs = club ? Modalities.Select(_ => (IMutualInformationEstimator)new AllPairsClub(new GaussianConditional(4, 3, 16, 1), false, NullLogger.Instance)).ToList() : null;
            var contrast = hyper.UseContrast ? new InfoNceBound(0.5, false, false, NullLogger.Instance) : null;
            return new DcidObjective(model, clubs, contrast, hyper).Compute(features, training: true).Terms.Keys.ToList();
        }

        Terms([], club: true).Should().BeEquivalentTo("reconstruction.image", "reconstruction.text", "commitment.image", "commitment.text", "club.image", "club.text", "infonce");
        Terms(new() { ["use_contrast"] = "false" }, club: true).Should().NotContain("infonce");
        Terms(new() { ["use_codebook"] = "false" }, club: true).Should().NotContain(t => t.StartsWith("commitment"));

        random.manual_seed(6);
        var noClub = DcidFixture.Build(new Dictionary<string, string> { ["use_club"] = "false", ["use_codebook"] = "false", ["use_contrast"] = "false" });
        noClub.Modules.Keys.Should().BeEquivalentTo("representation", "recommender");
        DcidFixture.Model(noClub).Codebook.Should().BeNull();
        DcidFixture.Dispose(noClub);

        var act = () => DcidFixture.Hyper(new Dictionary<string, string> { ["use_codebook"] = "false", ["recommender_input"] = "codes" });
        act.Should().Throw<ArgumentException>().WithMessage("*hyper.recommender_input*");
    }

    [Fact]
    public void Club_sample_and_orthogonality_fill_the_club_slot()
    {
        random.manual_seed(7);
        var sampled = DcidFixture.Build(club: InfoBoundsPlugin.ClubSample);
        sampled.Modules.Keys.Should().Contain("club.image");
        DcidFixture.Dispose(sampled);

        random.manual_seed(8);
        // The squared dot product needs parts of one width.
        var orthogonal = DcidFixture.Build(new Dictionary<string, string> { ["specific_size"] = "4" }, club: InfoBoundsPlugin.Orthogonality);
        orthogonal.Modules.Keys.Should().NotContain("club.image", "the orthogonality penalty has no network to fit");
        DcidFixture.Dispose(orthogonal);
    }

    [Fact]
    public void The_lightgcn_backbone_propagates_the_recommender_through_the_encoder_slot()
    {
        random.manual_seed(9);
        var graph = DcidFixture.Build(new Dictionary<string, string> { ["backbone"] = "lightgcn", ["recommender_input"] = "codes" });
        graph.Modules.Keys.Should().Contain("encoder");
        var (loss, _) = DcidFixture.Loss(graph, "bpr", DcidFixture.Batch(DcidFixture.Data().Split));
        double.IsFinite(loss.item<float>()).Should().BeTrue();
        DcidFixture.Dispose(graph);
    }

    [Fact]
    public void The_analyses_report_the_two_by_two_table_per_modality_and_the_transfer_accuracies()
    {
        random.manual_seed(10);
        var graph = DcidFixture.Build();
        var analyses = graph.Analyses.ToDictionary(a => a.Name, a => a.Compute());

        analyses["disentanglement"].Keys.Should().BeEquivalentTo(
            "image.r2_common_shared", "image.r2_common_specific", "image.r2_specific_specific", "image.r2_specific_shared",
            "text.r2_common_shared", "text.r2_common_specific", "text.r2_specific_specific", "text.r2_specific_shared");
        analyses["transfer"].Keys.Should().Contain(["common_image_to_text", "common_text_to_image", "codes_image_to_text", "full_image_to_text", "common_image_to_image", "raw_image_to_image"]);
        // image has 4 columns and text 5: no raw head can cross between them.
        analyses["transfer"].Keys.Should().NotContain("raw_image_to_text");
        analyses["transfer"].Values.Should().OnlyContain(v => v >= 0 && v <= 1);
        DcidFixture.Dispose(graph);
    }

    [Fact]
    public void Without_true_factors_the_disentanglement_analysis_is_empty()
    {
        var (dataset, split) = DcidFixture.Data();
        var bare = new Untangle.Contracts.Data.Dataset
        {
            Name = dataset.Name, UserIds = dataset.UserIds, ItemIds = dataset.ItemIds, Interactions = dataset.Interactions,
            ItemFeatures = dataset.ItemFeatures, ItemCategories = dataset.ItemCategories,
        };
        random.manual_seed(11);
        var graph = DcidFixture.Build(data: (bare, split));
        graph.Analyses.Single(a => a.Name == "disentanglement").Compute().Should().BeEmpty();
        DcidFixture.Dispose(graph);
    }

    [Fact]
    public void Fewer_than_two_modalities_fail_with_the_names_there_are()
    {
        var act = () => DcidFixture.Build(new Dictionary<string, string> { ["modalities"] = "image" });
        act.Should().Throw<ArgumentException>().WithMessage("*at least two item modalities*image, text*");
        var missing = () => DcidFixture.Build(new Dictionary<string, string> { ["modalities"] = "image,audio" });
        missing.Should().Throw<ArgumentException>().WithMessage("*no item features 'audio'*");
    }
}
