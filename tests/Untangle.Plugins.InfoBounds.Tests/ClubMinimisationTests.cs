using TorchSharp;
using TorchSharp.Modules;
using Untangle.Contracts.Components;
using Untangle.Contracts.Training;
using static TorchSharp.torch;

namespace Untangle.Plugins.InfoBounds.Tests;

/// <summary>
/// Minimising CLUB between two learned projections of a shared signal removes the information they
/// share, measured with the closed form: x = w₁·s + σe₁, y = w₂·s + σe₂ with s ~ N(0, I₄) and unit
/// directions w, so (x, y) is jointly Gaussian and I(x; y) = −½·log(1 − r²) with r their correlation.
/// </summary>
public class ClubMinimisationTests
{
    private const int Signal = 4;
    private const double NoiseStd = 0.5;

    private sealed class Projections : nn.Module
    {
        private readonly Parameter first;
        private readonly Parameter second;

        public Projections() : base(nameof(Projections))
        {
            // Nearly the same direction: r ≈ 1/(1 + σ²) = 0.8 at the start.
            var start = tensor(new float[] { 1, 0.5f, -0.5f, 0.25f });
            first = new Parameter(start.clone());
            second = new Parameter(start + 0.05f * tensor(new float[] { 0, 1, 0, -1 }));
            RegisterComponents();
        }

        public (Tensor X, Tensor Y) Project(Tensor signal)
        {
            var x = signal.mv(first / first.norm()) + NoiseStd * randn(signal.shape[0]);
            var y = signal.mv(second / second.norm()) + NoiseStd * randn(signal.shape[0]);
            return (x.unsqueeze(1), y.unsqueeze(1));
        }
    }

    /// <summary>I(x; y) from the empirical correlation on a large fresh sample and the Gaussian formula.</summary>
    private static double TrueInformation(Projections p)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var (x, y) = p.Project(randn(20000, Signal));
        var r = Components.Value(corrcoef(cat([x, y], 1).t())[0, 1]);
        return CorrelatedGaussian.InformationOfCorrelation(r);
    }

    [Theory]
    [InlineData(InfoBoundsPlugin.Club)]
    [InlineData(InfoBoundsPlugin.ClubSample)]
    public void Minimising_CLUB_drives_the_true_information_between_the_projections_down(string name)
    {
        random.manual_seed(41);
        IMutualInformationEstimatorFactory factory = name == InfoBoundsPlugin.Club ? new ClubFactory() : new ClubSampleFactory();
        using var club = Components.Make(factory, Components.Dims(1, 1), new Dictionary<string, string> { ["hidden_size"] = "16" });
        using var projections = new Projections();
        Tensor x = null!, y = null!;
        var main = new OptimizationStep
        {
            Name = "main",
            Parameters = [.. projections.parameters()],
            Optimizer = OptimizerSpec.Adam(2e-2),
            Loss = _ => club.Estimate(x, y),
        };
        // CLUB's Algorithm 1: one main step with q frozen, then 5 fits of q on the detached batch.
        var steps = new List<OptimizationStep> { main };
        steps.AddRange(EstimatorTraining.Steps("club-fit", club, EstimatorSchedule.Parse("test", "5/batch"), OptimizerSpec.Adam(1e-2), _ => (x, y)));
        using var engine = new TinyEngine(steps);

        double before = TrueInformation(projections);
        for (int b = 0; b < 150; b++)
            engine.Batch(b, () => (x, y) = projections.Project(randn(128, Signal)));
        double after = TrueInformation(projections);

        before.Should().BeGreaterThan(0.45, "the projections start nearly aligned (r ≈ 0.8)");
        after.Should().BeLessThan(0.02, $"{name}: minimising the bound removes the shared information (before {before:F3} nats)");
    }
}
