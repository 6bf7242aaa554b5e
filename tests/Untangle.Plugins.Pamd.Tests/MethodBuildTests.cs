using Microsoft.Extensions.Logging.Abstractions;
using Untangle.Contracts.Components;
using Untangle.Contracts.Data;
using Untangle.Contracts.Settings;
using Untangle.Contracts.Training;
using Untangle.Plugins.InfoBounds;
using static TorchSharp.torch;

namespace Untangle.Plugins.Pamd.Tests;

/// <summary>Builds PAMD on the hand-made data with slot components created the way the host creates them.</summary>
public class MethodBuildTests
{
    /// <summary>The separation slot's component by name, made as the host makes it (CLUB's q network kept small).</summary>
    private static readonly Dictionary<string, Func<string, IReadOnlyDictionary<string, object>, object>> Separations = new()
    {
        [InfoBoundsPlugin.Orthogonality] = (slot, arguments) => SlotComponent.Make(new OrthogonalityFactory(), slot, arguments: arguments),
        [InfoBoundsPlugin.Club] = (slot, arguments) =>
            SlotComponent.Make(new ClubFactory(), slot, new Dictionary<string, string> { ["hidden_size"] = "16" }, arguments),
    };

    private static TrainingGraph Build(Dataset data, Dictionary<string, string> hyper, string separation = InfoBoundsPlugin.Orthogonality)
    {
        var method = new PamdMethod();
        var declaration = method.Declare();
        object Create(string slot, IReadOnlyDictionary<string, object> arguments)
        {
            slot.Should().Be(PamdMethod.SeparationSlot);
            return Separations[separation](slot, arguments);
        }
        return method.Build(MethodContexts.For(method, data, Fixtures.Split(data), hyper, Create, seed: 1, batchSize: 4, batchesPerEpoch: 5,
            phases: Untangle.Host.Training.PhaseRunner.InMemory(NullLogger.Instance)));
    }

    [Theory]
    [InlineData(InfoBoundsPlugin.Orthogonality)]
    [InlineData(InfoBoundsPlugin.Club)]
    public void Build_pretrains_then_returns_the_recommend_and_finetune_steps_a_scorer_and_the_analyses(string separation)
    {
        manual_seed(11);
        var data = Fixtures.Dataset();
        var graph = Build(data, new() { ["pretrain_epochs"] = "3", ["pretrain_batch_size"] = "8", ["embedding_size"] = "4" }, separation);

        graph.Steps.Select(s => s.Name).Should().Equal("recommend", "finetune");
        graph.Steps[0].Optimizer.LearningRate.Should().Be(1e-3);
        graph.Steps[1].Optimizer.LearningRate.Should().Be(1e-4, "the pretrained encoders are fine-tuned at 1e-4");
        graph.Modules.Keys.Should().BeEquivalentTo(["embeddings", "encoders", "decoders"]);

        using (var scope = NewDisposeScope())
        {
            var batch = new TrainingBatch
            {
                Kind = BatchKind.Triples, Epoch = 1, Index = 0, GlobalBatch = 0, Device = CPU,
                Users = tensor(new long[] { 0, 1, 2 }), Positives = tensor(new long[] { 0, 2, 8 }), Negatives = tensor(new long[] { 3, 4, 5 }),
            };
            var terms = new Dictionary<string, double>();
            var loss = graph.Steps[1].Loss(new StepContext(batch, (k, v) => terms[k] = v));
            loss.backward();
            graph.Steps[1].Parameters.Any(p => p.grad is not null && p.grad.abs().sum().item<float>() > 0).Should().BeTrue("the loss reaches the encoders");
            graph.Steps[0].Loss(new StepContext(batch, (k, v) => terms[k] = v));
            terms.Keys.Should().Equal("pointwise");

            using var noGrad = no_grad();
            var scores = graph.Scorer.Score(new ScoringBatch { Users = tensor(new long[] { 0, 5 }), Known = Interactions.Empty(2, data.ItemCount), Device = CPU });
            scores.shape.Should().Equal(2, data.ItemCount);
        }

        var pretraining = graph.Analyses.Single(a => a.Name == "pretraining").Compute();
        pretraining.Keys.Should().Contain(["sim", "separation"]);
        var disentanglement = graph.Analyses.Single(a => a.Name == "disentanglement").Compute();
        disentanglement.Keys.Should().Contain(
            ["image.r2_common_shared", "image.r2_common_specific", "image.r2_specific_specific", "image.r2_specific_shared",
             "text.r2_common_shared", "text.r2_specific_specific", "pretrained.text.r2_specific_shared", "image.share_common_shared"]);
        disentanglement["image.r2_raw_shared"].Should().BeGreaterThan(0.99, "the image features hold the shared factor exactly");
        var transfer = graph.Analyses.Single(a => a.Name == "transfer").Compute();
        transfer.Keys.Should().Contain(["common_image_to_text", "common_text_to_image", "full_image_to_text", "specific_text_to_image", "pretrained.common_image_to_text"]);
        transfer.Keys.Should().NotContain("raw_image_to_text", "the toy modalities have different widths (4 and 3)");
        transfer.Values.Should().OnlyContain(a => a >= 0 && a <= 1);
        foreach (var module in graph.Modules.Values) module.Dispose();
    }

    [Fact]
    public void Frozen_encoders_leave_out_the_finetune_step_and_pamd_de_needs_no_separation_component()
    {
        manual_seed(12);
        var graph = Build(Fixtures.Dataset(), new() { ["pretrain_epochs"] = "1", ["finetune_learning_rate"] = "0", ["use_encoder_losses"] = "false" },
            separation: "none: the slot must not be asked for");
        graph.Steps.Select(s => s.Name).Should().Equal("recommend");
        graph.Modules["encoders"].parameters().Should().OnlyContain(p => !p.requires_grad);
        foreach (var module in graph.Modules.Values) module.Dispose();
    }

    [Fact]
    public void Data_without_truth_skips_the_r2_table_and_a_missing_modality_names_the_key_and_the_choices()
    {
        manual_seed(13);
        var data = Fixtures.Dataset();
        var bare = new Dataset
        {
            Name = data.Name, UserIds = data.UserIds, ItemIds = data.ItemIds, Interactions = data.Interactions,
            ItemCategories = data.ItemCategories, ItemFeatures = data.ItemFeatures,
        };
        var graph = Build(bare, new() { ["pretrain_epochs"] = "1" });
        graph.Analyses.Single(a => a.Name == "disentanglement").Compute().Should().BeEmpty();
        foreach (var module in graph.Modules.Values) module.Dispose();

        var act = () => Build(data, new() { ["modality_t"] = "audio" });
        act.Should().Throw<ArgumentException>().WithMessage("*hyper.modality_t*'audio'*image, text*");
    }
}
