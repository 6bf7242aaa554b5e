using Untangle.Contracts.Training;
using static TorchSharp.torch;

namespace Untangle.Plugins.Mmssl.Tests;

public class MmsslMethodTests
{
    [Fact]
    public void The_critic_step_runs_before_the_main_step_and_trains_only_the_critic()
    {
        random.manual_seed(1);
        var graph = MmsslFixture.Build();
        graph.Steps.Select(s => s.Name).Should().Equal("critic", "main");
        var critic = graph.Modules["critic"];
        graph.Steps[0].Parameters.Should().BeEquivalentTo(critic.parameters());
        graph.Steps[0].Optimizer.Betas.Should().Be((0.5, 0.9));

        var (loss, terms) = MmsslFixture.Loss(graph, "critic", MmsslFixture.Batch());
        loss.backward();

        terms.Should().ContainKey("critic");
        critic.parameters().Should().Contain(p => HasGradient(p));
        MmsslFixture.Model(graph).parameters().Should().OnlyContain(p => !HasGradient(p));
        MmsslFixture.Dispose(graph);
    }

    [Fact]
    public void The_gradient_penalty_enters_the_critic_loss_through_the_critic_slot()
    {
        double CriticLoss(string gpWeight)
        {
            random.manual_seed(5);
            var graph = MmsslFixture.Build(critic: new Dictionary<string, string> { ["gp_weight"] = gpWeight, ["dropout"] = "[0]" });
            random.manual_seed(6);
            var value = MmsslFixture.Loss(graph, "critic", MmsslFixture.Batch()).Loss.item<float>();
            MmsslFixture.Dispose(graph);
            return value;
        }

        double without = CriticLoss("0"), with = CriticLoss("10");

        // Same networks, same rows, same interpolation draw: the difference is 10 · mean (‖∇D‖ − 1)² > 0.
        (with - without).Should().BeGreaterThan(1e-6);
    }

    [Fact]
    public void The_main_loss_has_every_term_and_the_ablations_remove_theirs()
    {
        random.manual_seed(2);
        var full = MmsslFixture.Build();
        var (loss, terms) = MmsslFixture.Loss(full, "main", MmsslFixture.Batch());
        loss.backward();
        terms.Keys.Should().BeEquivalentTo("bpr", "l2", "contrastive", "generator");
        MmsslFixture.Model(full).Attention.parameters().Should().Contain(p => HasGradient(p));
        MmsslFixture.Dispose(full);

        var noCritic = MmsslFixture.Build(new Dictionary<string, string> { ["use_critic"] = "false" });
        noCritic.Steps.Select(s => s.Name).Should().Equal("main");
        MmsslFixture.Loss(noCritic, "main", MmsslFixture.Batch()).Terms.Keys.Should().BeEquivalentTo("bpr", "l2", "contrastive");
        MmsslFixture.Dispose(noCritic);

        var noCl = MmsslFixture.Build(new Dictionary<string, string> { ["use_contrastive"] = "false" });
        MmsslFixture.Loss(noCl, "main", MmsslFixture.Batch()).Terms.Keys.Should().BeEquivalentTo("bpr", "l2", "generator");
        MmsslFixture.Dispose(noCl);

        var noGraphs = MmsslFixture.Build(new Dictionary<string, string> { ["use_modality_graphs"] = "false" });
        noGraphs.Systems.Select(s => s.Name).Should().NotContain("mmssl-rebuild-modality-graphs");
        MmsslFixture.Loss(noGraphs, "main", MmsslFixture.Batch()).Terms.Keys.Should().BeEquivalentTo("bpr", "l2", "generator");
        MmsslFixture.Dispose(noGraphs);
    }

    [Fact]
    public void Scores_are_users_by_items_and_survive_a_checkpoint_round_trip()
    {
        random.manual_seed(3);
        var graph = MmsslFixture.Build();
        foreach (var m in graph.Modules.Values) m.eval();
        var (_, split) = MmsslFixture.Data();
        Tensor Score() => graph.Scorer.Score(new ScoringBatch { Users = tensor(new long[] { 0, 5 }), Known = split.Train, Device = CPU });
        var before = Score().clone();
        before.shape.Should().Equal(2, MmsslFixture.Items);

        var saved = new Dictionary<string, byte[]>();
        foreach (var (name, module) in graph.Modules)
        {
            using var stream = new MemoryStream();
            module.save(stream);
            saved[name] = stream.ToArray();
        }
        using (no_grad())
            foreach (var p in MmsslFixture.Model(graph).parameters()) p.add_(1);
        MmsslFixture.Model(graph).ForgetScoringTables();
        Score().allclose(before).Should().BeFalse();
        foreach (var (name, module) in graph.Modules) module.load(new MemoryStream(saved[name]));

        Score().allclose(before, rtol: 1e-5, atol: 1e-6).Should().BeTrue();
        MmsslFixture.Dispose(graph);
    }

    [Fact]
    public void A_missing_modality_names_the_ones_there_are()
    {
        var act = () => MmsslFixture.Build(new Dictionary<string, string> { ["modalities"] = "image,audio" });

        act.Should().Throw<ArgumentException>().WithMessage("*no item features 'audio'; it has: image, text*");
    }

    private static bool HasGradient(TorchSharp.Modules.Parameter p) => p.grad is { } g && g.abs().sum().item<float>() > 0;
}
