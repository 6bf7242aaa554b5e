using Untangle.Contracts.Components;
using Untangle.Contracts.Training;
using static TorchSharp.torch;

namespace Untangle.Plugins.VaeFamily.Tests;

/// <summary>What every method of the family must do: shapes, fold-in, train/eval mode, checkpoints, learning.</summary>
public class MethodBehaviourTests
{
    private static TrainingGraph Build(string name, int seed = 7)
    {
        var (dataset, split) = Fixtures.Clustered();
        return MethodCases.Method(name).Build(Fixtures.Context(MethodCases.Method(name), dataset, split, seed, hyper: MethodCases.SmallHyper(name)));
    }

    [Theory]
    [MemberData(nameof(MethodCases.Names), MemberType = typeof(MethodCases))]
    public void Declares_user_row_batches_and_folds_in_held_out_users(string name)
    {
        var declaration = MethodCases.Method(name).Declare();
        declaration.BatchKind.Should().Be(BatchKind.UserRows);
        declaration.FoldsInUsers.Should().BeTrue();
    }

    [Theory]
    [MemberData(nameof(MethodCases.Names), MemberType = typeof(MethodCases))]
    public void Scores_every_item_for_every_row_and_the_loss_is_a_finite_scalar(string name)
    {
        var (_, split) = Fixtures.Clustered();
        var graph = Build(name);
        try
        {
            var scores = Fixtures.Score(graph, split.Test.Known);
            scores.Should().HaveCount(2).And.OnlyContain(row => row.Length == 12 && row.All(float.IsFinite));

            foreach (var module in graph.Modules.Values) module.train();
            var (loss, terms) = Fixtures.Evaluate(graph.Steps.Single(), Fixtures.Batch(split.Train, [0, 3, 9]));
            double.IsFinite(loss).Should().BeTrue();
            terms.Should().ContainKey("nll");
            terms["nll"].Should().BePositive();
        }
        finally
        {
            Fixtures.Dispose(graph);
        }
    }

    [Theory]
    [MemberData(nameof(MethodCases.Names), MemberType = typeof(MethodCases))]
    public void A_held_out_users_scores_follow_its_fold_in_history(string name)
    {
        var graph = Build(name);
        try
        {
            // Same (held-out) user slot, two histories: the scorer must read the fold-in rows.
            var first = Fixtures.Score(graph, Fixtures.Matrix(12, [0, 1, 2]));
            var second = Fixtures.Score(graph, Fixtures.Matrix(12, [6, 7, 8]));
            var empty = Fixtures.Score(graph, Fixtures.Matrix(12, new[] { Array.Empty<int>() }));
            first[0].Should().NotEqual(second[0]);
            first[0].Should().NotEqual(empty[0]);
        }
        finally
        {
            Fixtures.Dispose(graph);
        }
    }

    [Theory]
    [MemberData(nameof(MethodCases.Names), MemberType = typeof(MethodCases))]
    public void Evaluation_is_deterministic_and_training_is_noisy(string name)
    {
        var (_, split) = Fixtures.Clustered();
        var graph = Build(name);
        try
        {
            manual_seed(1);
            var a = Fixtures.Score(graph, split.Test.Known);
            manual_seed(2);
            var b = Fixtures.Score(graph, split.Test.Known);
            a.Should().BeEquivalentTo(b, o => o.WithStrictOrdering(), "eval mode: no dropout, z = mu, softmax assignment");

            foreach (var module in graph.Modules.Values) module.train();
            var batch = Fixtures.Batch(split.Train, [0, 1, 8, 9]);
            manual_seed(1);
            var first = Fixtures.Evaluate(graph.Steps.Single(), batch).Loss;
            manual_seed(2);
            var second = Fixtures.Evaluate(graph.Steps.Single(), batch).Loss;
            first.Should().NotBe(second, "train mode: dropout (and sampling) change the loss from draw to draw");
            manual_seed(1);
            Fixtures.Evaluate(graph.Steps.Single(), batch).Loss.Should().Be(first, "the noise comes from torch's seeded generator");
        }
        finally
        {
            Fixtures.Dispose(graph);
        }
    }

    [Theory]
    [MemberData(nameof(MethodCases.Names), MemberType = typeof(MethodCases))]
    public void A_checkpoint_restored_into_a_fresh_model_reproduces_the_scores(string name)
    {
        var (_, split) = Fixtures.Clustered();
        var trained = Build(name, seed: 7);
        var fresh = Build(name, seed: 99);
        try
        {
            manual_seed(4);
            Fixtures.Train(trained, split.Train, steps: 5);
            var expected = Fixtures.Score(trained, split.Test.Known);
            Fixtures.Score(fresh, split.Test.Known).Should().NotBeEquivalentTo(expected, "another seed starts elsewhere");

            foreach (var (key, module) in trained.Modules)
                Fixtures.Restore(fresh.Modules[key], Fixtures.Checkpoint(module));

            Fixtures.Score(fresh, split.Test.Known).Should().BeEquivalentTo(expected, o => o.WithStrictOrdering());
        }
        finally
        {
            Fixtures.Dispose(trained);
            Fixtures.Dispose(fresh);
        }
    }

    [Theory]
    [MemberData(nameof(MethodCases.Names), MemberType = typeof(MethodCases))]
    public void Training_on_two_clusters_ranks_a_held_out_users_own_cluster_first(string name)
    {
        var (_, split) = Fixtures.Clustered();
        var graph = Build(name, seed: 3);
        try
        {
            manual_seed(3);
            var losses = Fixtures.Train(graph, split.Train, steps: 150);
            losses.TakeLast(10).Average().Should().BeLessThan(losses.Take(10).Average());

            // The fold-in users hold items 0-2 and 6-8: the unseen items of their own cluster come first.
            var scores = Fixtures.Score(graph, split.Test.Known);
            scores[0][3..6].Min().Should().BeGreaterThan(scores[0][6..12].Max());
            scores[1][9..12].Min().Should().BeGreaterThan(scores[1][0..6].Max());
        }
        finally
        {
            Fixtures.Dispose(graph);
        }
    }
}
