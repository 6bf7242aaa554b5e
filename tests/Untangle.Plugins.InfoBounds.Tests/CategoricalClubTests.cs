using static TorchSharp.torch;

namespace Untangle.Plugins.InfoBounds.Tests;

/// <summary>club-categorical against the official CLUBForCategorical's n × n formula, its learning loss, and what a fitted q reads.</summary>
public class CategoricalClubTests
{
    private static CategoricalClub Make(int xDim, int classes, int hidden = 0) =>
        (CategoricalClub)Components.Make(new CategoricalClubFactory(), Components.Dims(xDim, classes), new Dictionary<string, string> { ["hidden_size"] = $"{hidden}" });

    [Theory]
    [InlineData(0)]
    [InlineData(8)]
    public void The_estimate_equals_the_official_n_by_n_formula(int hidden)
    {
        random.manual_seed(7);
        using var club = Make(3, 4, hidden);
        using var scope = NewDisposeScope();
        var x = randn(7, 3);
        long[] labels = [0, 1, 1, 3, 0, 0, 2];
        var y = nn.functional.one_hot(tensor(labels), 4).to(ScalarType.Float32);

        // Official forward: log_mat[i, j] = −CE(logits_i, label_j); positive = mean of the diagonal, negative = mean of all.
        var logits = club.Logits(x);
        var logQ = nn.functional.log_softmax(logits, 1);
        var logMat = logQ.index_select(1, tensor(labels));
        var expected = logMat.diagonal().mean() - logMat.mean();

        Components.Value(club.Estimate(x, y)).Should().BeApproximately(Components.Value(expected), 1e-6);
    }

    [Fact]
    public void The_learning_loss_is_the_cross_entropy_and_trains_q_only()
    {
        random.manual_seed(8);
        using var club = Make(2, 3);
        var x = randn(5, 2).requires_grad_(true);
        long[] labels = [2, 0, 1, 1, 2];
        var y = nn.functional.one_hot(tensor(labels), 3).to(ScalarType.Float32);

        var loss = club.LearningLoss(x, y)!;
        var expected = nn.functional.cross_entropy(club.Logits(x.detach()), tensor(labels));
        Components.Value(loss).Should().BeApproximately(Components.Value(expected), 1e-6);

        loss.backward();
        x.grad.Should().BeNull("q is fitted on detached inputs");
        club.Module!.parameters().All(p => p.grad is not null).Should().BeTrue("every parameter of q has a gradient");
    }

    [Fact]
    public void A_fitted_q_finds_a_label_the_input_carries_and_none_in_a_label_it_does_not()
    {
        random.manual_seed(9);
        var x = randn(400, 4);
        // The label is the sign of x's first coordinate; the other label is drawn apart from x.
        var carried = nn.functional.one_hot(x.select(1, 0).gt(0).to(ScalarType.Int64), 2).to(ScalarType.Float32);
        var unrelated = nn.functional.one_hot(randint(0, 2, [400]), 2).to(ScalarType.Float32);

        double Fitted(Tensor y)
        {
            using var club = Make(4, 2);
            using var optimizer = optim.Adam(club.Module!.parameters(), 0.05);
            for (int step = 0; step < 300; step++)
            {
                optimizer.zero_grad();
                club.LearningLoss(x, y)!.backward();
                optimizer.step();
            }
            using var noGrad = no_grad();
            return Components.Value(club.Estimate(x, y));
        }

        // I(x; sign) = log 2 ≈ 0.69 nats; CLUB lies above it once q is fitted, and near 0 for the unrelated label.
        Fitted(carried).Should().BeGreaterThan(0.5);
        Fitted(unrelated).Should().BeLessThan(0.05);
    }
}
