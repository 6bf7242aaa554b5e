using Untangle.Contracts.Components;
using static TorchSharp.torch;

namespace Untangle.Plugins.Dcid.Tests;

public class CrossModalContrastTests
{
    /// <summary>An estimator whose value is Σ x·y, recording its calls (x, y) as the scalars they hold.</summary>
    private sealed class DotEstimator : IMutualInformationEstimator
    {
        public List<(float X, float Y)> Calls { get; } = [];
        public InformationBound Bound => InformationBound.Lower;
        public nn.Module? Module => null;
        public Tensor? LearningLoss(Tensor x, Tensor y) => null;
        public Tensor Estimate(Tensor x, Tensor y, Tensor? condition = null)
        {
            Calls.Add((x.sum().item<float>(), y.sum().item<float>()));
            return (x * y).sum();
        }
        public void Dispose() { }
    }

    [Fact]
    public void Cross_pairs_count_once_in_each_direction_and_self_pairs_at_their_weight()
    {
        var estimator = new DotEstimator();
        var image = tensor(new float[] { 1 }, [1, 1]);
        var text = tensor(new float[] { 2 }, [1, 1]);
        var imageView = tensor(new float[] { 3 }, [1, 1]);
        var textView = tensor(new float[] { 5 }, [1, 1]);

        var loss = CrossModalContrast.Loss(estimator, [image, text], [imageView, textView], selfWeight: 0.1);

        // −(1·2 + 2·1) − 0.1 (3·1 + 5·2) = −4 − 1.3
        loss.item<float>().Should().BeApproximately(-5.3f, 1e-5f);
        estimator.Calls.Should().BeEquivalentTo(new[] { (1f, 2f), (2f, 1f), (3f, 1f), (5f, 2f) });
    }

    [Fact]
    public void Without_self_pairs_only_the_cross_pairs_remain()
    {
        var estimator = new DotEstimator();
        var loss = CrossModalContrast.Loss(estimator, [tensor(new float[] { 1 }, [1, 1]), tensor(new float[] { 2 }, [1, 1])], null, 0.1);
        loss.item<float>().Should().BeApproximately(-4f, 1e-6f);
        estimator.Calls.Should().HaveCount(2);
    }

    [Fact]
    public void One_modality_is_refused()
    {
        var act = () => CrossModalContrast.Loss(new DotEstimator(), [ones(2, 2)], null, 0.1);
        act.Should().Throw<ArgumentException>().WithMessage("*at least two modalities*");
    }
}
