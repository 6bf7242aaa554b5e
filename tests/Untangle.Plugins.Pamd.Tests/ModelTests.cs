using Microsoft.Extensions.Logging.Abstractions;
using Untangle.Plugins.Foundation;
using Untangle.Plugins.InfoBounds;
using static TorchSharp.torch;

namespace Untangle.Plugins.Pamd.Tests;

/// <summary>The encoders, the attentive recommender and the pretraining objective's switches.</summary>
public class ModelTests
{
    private static ItemModalities Items() => ItemModalities.Read(Fixtures.Dataset(), Fixtures.Split(Fixtures.Dataset()), "image", "text", CPU);

    [Fact]
    public void Encoders_give_d_wide_parts_with_the_specifics_the_remainder_of_the_commons()
    {
        manual_seed(1);
        using var scope = NewDisposeScope();
        using var items = Items();
        using var encoders = new DisentangledEncoders(Fixtures.WidthV, Fixtures.WidthT, 5, CPU);
        var parts = encoders.Encode(items.V, items.T);
        foreach (var part in new[] { parts.HV, parts.HT, parts.CV, parts.CT, parts.SV, parts.ST })
            part.shape.Should().Equal(Fixtures.Items, 5);
        (parts.CV + parts.SV).allclose(parts.HV).Should().BeTrue();
        (parts.CT + parts.ST).allclose(parts.HT).Should().BeTrue();
        parts.Stacked().shape.Should().Equal(Fixtures.Items, 4, 5);
    }

    [Fact]
    public void Attention_weights_sum_to_one_and_full_ranking_agrees_with_the_row_scores()
    {
        manual_seed(2);
        using var scope = NewDisposeScope();
        using var items = Items();
        using var encoders = new DisentangledEncoders(Fixtures.WidthV, Fixtures.WidthT, 5, CPU);
        using var embeddings = new UserItemEmbeddings(Fixtures.Users, Fixtures.Items, 5, 0.5, new Random(3), CPU);
        var recommender = new PamdRecommender(embeddings, encoders, items);
        var users = tensor(new long[] { 0, 3, 5 });
        var itemIndices = tensor(new long[] { 2, 2, 15 });

        var alpha = recommender.Attention(users, itemIndices);
        alpha.shape.Should().Equal(3, PamdRecommender.Parts);
        alpha.sum(1).allclose(ones(3)).Should().BeTrue();
        (alpha >= 0).all().item<bool>().Should().BeTrue();
        recommender.Representation(users, itemIndices).shape.Should().Equal(3, 5);

        var all = recommender.ScoreAll(users);
        all.shape.Should().Equal(3, Fixtures.Items);
        var picked = all.gather(1, itemIndices.unsqueeze(1)).squeeze(1);
        picked.allclose(recommender.RowScores(users, itemIndices), rtol: 1e-4, atol: 1e-5).Should().BeTrue();
    }

    [Fact]
    public void The_attention_prefers_the_part_most_aligned_with_the_user()
    {
        using var scope = NewDisposeScope();
        var user = tensor(new float[] { 1, 0 }).reshape(1, 2);
        var parts = tensor(new float[] { 3, 0, 0, 1, -1, 0, 0, 0 }).reshape(1, 4, 2);
        var alpha = PamdRecommender.Softmax(user, parts);
        alpha.argmax(1).item<long>().Should().Be(0);
        alpha[0, 1].item<float>().Should().BeApproximately(alpha[0, 3].item<float>(), 1e-6f, "equal logits, equal weights");
    }

    [Theory]
    [InlineData(true, true, "contrastive", new[] { "sim", "separation", "dec_t2v", "dec_v2t" })]
    [InlineData(true, false, "contrastive", new[] { "sim", "separation" })]
    [InlineData(false, true, "contrastive", new[] { "dec_t2v", "dec_v2t" })]
    [InlineData(true, true, "reconstruction", new[] { "sim", "separation", "rec_t2v", "rec_v2t" })]
    public void Ablation_switches_turn_terms_off(bool encoderLosses, bool decoderLoss, string decoder, string[] terms)
    {
        manual_seed(4);
        using var scope = NewDisposeScope();
        using var items = Items();
        var hyper = Fixtures.Hyper(new()
        {
            ["use_encoder_losses"] = encoderLosses.ToString(), ["use_decoder_loss"] = decoderLoss.ToString(), ["decoder_loss"] = decoder,
        });
        using var encoders = new DisentangledEncoders(Fixtures.WidthV, Fixtures.WidthT, 5, CPU);
        using var decoders = new CrossModalDecoders(Fixtures.WidthV, Fixtures.WidthT, 5, CPU);
        using var separation = new OrthogonalityPenalty();
        var objective = new PretrainingObjective(encoders, decoders, separation, hyper);
        var recorded = new Dictionary<string, float>();
        var loss = objective.Loss(items.V, items.T, (name, term) => recorded[name] = term.item<float>());

        recorded.Keys.Should().BeEquivalentTo(terms);
        loss.item<float>().Should().BeApproximately(recorded.Values.Sum(), 1e-3f, "weights are 1");
        loss.backward();
        bool decodersLearn = decoders.parameters().Any(p => p.grad is not null && p.grad.abs().sum().item<float>() > 0);
        decodersLearn.Should().Be(decoderLoss, "the decoders receive a gradient only from the decoder loss");
    }

    [Fact]
    public void Both_encoder_and_decoder_losses_off_is_refused_naming_the_key()
    {
        var act = () => Fixtures.Hyper(new() { ["use_encoder_losses"] = "false", ["use_decoder_loss"] = "false" });
        act.Should().Throw<ArgumentException>().WithMessage("*hyper.use_decoder_loss*");
        var bad = () => Fixtures.Hyper(new() { ["objective"] = "listwise" });
        bad.Should().Throw<ArgumentException>().WithMessage("*hyper.objective*'listwise'*pointwise*bpr*");
    }

    [Fact]
    public void Pretraining_lowers_the_loss_and_fits_a_club_separation_estimator()
    {
        manual_seed(5);
        using var items = Items();
        var hyper = Fixtures.Hyper(new() { ["pretrain_epochs"] = "30", ["pretrain_batch_size"] = "8" });
        using var encoders = new DisentangledEncoders(Fixtures.WidthV, Fixtures.WidthT, 5, CPU);
        using var decoders = new CrossModalDecoders(Fixtures.WidthV, Fixtures.WidthT, 5, CPU);
        using var club = new AllPairsClub(new GaussianConditional(5, 5, 16, 1), clampAtZero: false, NullLogger.Instance);
        var objective = new PretrainingObjective(encoders, decoders, club, hyper);
        float before;
        using (var scope = NewDisposeScope()) before = objective.Loss(items.V, items.T, (_, _) => { }).item<float>();
        var q = club.Conditional.parameters().First().detach().clone();

        var phase = ItemPretraining.Phase(objective, encoders, decoders, club, items, hyper, new Random(6));
        var summary = ItemPretraining.Summary(Untangle.Host.Training.PhaseRunner.InMemory(NullLogger.Instance)(phase));

        summary.Keys.Should().Contain(["loss", "sim", "separation", "dec_t2v", "dec_v2t"]);
        using (var scope = NewDisposeScope())
            objective.Loss(items.V, items.T, (_, _) => { }).item<float>().Should().BeLessThan(before);
        club.Conditional.parameters().First().allclose(q).Should().BeFalse("CLUB's q is fitted in its own steps");
    }

    [Fact]
    public void Encoders_survive_a_save_and_load_round_trip()
    {
        manual_seed(7);
        using var scope = NewDisposeScope();
        using var items = Items();
        using var saved = new DisentangledEncoders(Fixtures.WidthV, Fixtures.WidthT, 5, CPU);
        using var loaded = new DisentangledEncoders(Fixtures.WidthV, Fixtures.WidthT, 5, CPU);
        var path = Scratch.File("pamd-encoders.bin");
        try
        {
            saved.save(path);
            loaded.Encode(items.V, items.T).CV.allclose(saved.Encode(items.V, items.T).CV).Should().BeFalse("two draws differ before loading");
            loaded.load(path);
            var a = saved.Encode(items.V, items.T);
            var b = loaded.Encode(items.V, items.T);
            b.CV.allclose(a.CV).Should().BeTrue();
            b.ST.allclose(a.ST).Should().BeTrue();
        }
        finally
        {
            File.Delete(path);
        }
    }
}
