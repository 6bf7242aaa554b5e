using TorchSharp.Modules;
using Untangle.Contracts.Components;
using static TorchSharp.torch;

namespace Untangle.Plugins.InfoBounds.Tests;

/// <summary>
/// The critics on two 1-D Gaussians, real N(0, 1) and fake N(3, 1) (W1 = 3, Bayes accuracy Φ(1.5) ≈ 0.93),
/// with only the critic training (the generator's samples are fixed), and MMSSL's network shape.
/// </summary>
public class CriticTests
{
    private const double Shift = 3;

    private static (Tensor Real, Tensor Fake) Draw(int rows) => (randn(rows, 1), randn(rows, 1) + Shift);

    /// <summary>The critic's own steps: Adam with the WGAN-GP betas, a higher rate first, then a lower one.</summary>
    private static void TrainCritic(IDiscriminator critic, int steps)
    {
        critic.Module.train();
        using var fast = optim.Adam(critic.Module.parameters(), lr: 1e-2, beta1: WganGpCritic.RecommendedBetas.Beta1, beta2: WganGpCritic.RecommendedBetas.Beta2);
        using var slow = optim.Adam(critic.Module.parameters(), lr: 1e-3, beta1: WganGpCritic.RecommendedBetas.Beta1, beta2: WganGpCritic.RecommendedBetas.Beta2);
        for (int s = 0; s < steps; s++)
        {
            using var scope = NewDisposeScope();
            var (real, fake) = Draw(256);
            var optimizer = s < steps * 3 / 4 ? fast : slow;
            optimizer.zero_grad();
            critic.CriticLoss(real, fake).backward();
            optimizer.step();
        }
        critic.Module.eval();
    }

    private static WganGpCritic Plain(double gpWeight) => (WganGpCritic)Components.Make(new WganGpFactory(), Components.Input(1),
        new Dictionary<string, string>
        {
            ["widths"] = "[32,16]", ["dropout"] = "0", ["batch_norm"] = "false", ["sigmoid_output"] = "false",
            ["gp_weight"] = gpWeight.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }, slot: "critic");

    private static double Gap(IDiscriminator critic, Tensor real, Tensor fake)
    {
        using var noGrad = no_grad();
        return Components.Value(critic.Score(real).mean() - critic.Score(fake).mean());
    }

    [Fact]
    public void With_the_penalty_the_critic_becomes_1_Lipschitz_at_the_interpolates_and_its_gap_approaches_W1()
    {
        random.manual_seed(51);
        using var critic = Plain(gpWeight: 10);
        var (real, fake) = Draw(4000);
        double before = Components.Value((critic.GradientNorms(real, fake) - 1).abs().mean());

        TrainCritic(critic, 400);

        var norms = critic.GradientNorms(real, fake);
        before.Should().BeGreaterThan(0.5);
        Components.Value((norms - 1).abs().mean()).Should().BeLessThan(0.25, "the penalty pulls ‖∇D(x̂)‖ to 1");
        Components.Value(norms.mean()).Should().BeInRange(0.85, 1.3);
        // Kantorovich–Rubinstein: a 1-Lipschitz critic's gap is at most W1 = 3, and the best one reaches it.
        Gap(critic, real, fake).Should().BeInRange(2.5, 3.8);
    }

    [Fact]
    public void Without_the_penalty_the_same_critic_is_not_Lipschitz_and_its_gap_runs_past_W1()
    {
        random.manual_seed(51);
        using var critic = Plain(gpWeight: 0);
        var (real, fake) = Draw(4000);

        TrainCritic(critic, 400);

        Components.Value(critic.GradientNorms(real, fake).mean()).Should().BeGreaterThan(2);
        Gap(critic, real, fake).Should().BeGreaterThan(6);
    }

    [Fact]
    public void MMSSLs_network_with_batch_norm_dropout_and_the_100_sigmoid_separates_real_from_fake()
    {
        random.manual_seed(52);
        using var critic = Components.Make(new WganGpFactory(), Components.Input(1), new Dictionary<string, string> { ["widths"] = "[32,16]" }, slot: "critic");
        var (real, fake) = Draw(4000);

        TrainCritic(critic, 400);

        using var noGrad = no_grad();
        var realScores = critic.Score(real);
        var fakeScores = critic.Score(fake);
        Components.Value((realScores > fakeScores).to_type(ScalarType.Float32).mean()).Should().BeGreaterThan(0.95, "the best possible is Φ(3/√2) ≈ 0.98");
        Components.Value(realScores.max()).Should().BeLessThanOrEqualTo(100f, "100·sigmoid is bounded by 100");
    }

    [Fact]
    public void The_critic_loss_detaches_its_inputs_and_the_generator_loss_reaches_the_generator()
    {
        random.manual_seed(53);
        using var critic = Plain(gpWeight: 10);
        var fake = (randn(8, 1) + Shift).requires_grad_(true);
        var real = randn(8, 1);

        critic.CriticLoss(real, fake).backward();
        fake.grad.Should().BeNull("the critic step trains the critic only");

        var generatorLoss = critic.GeneratorLoss(fake);
        Components.Value(generatorLoss).Should().BeApproximately(-Components.Value(critic.Score(fake).mean()), 1e-6);
        generatorLoss.backward();
        fake.grad.Should().NotBeNull();

        var act = () => critic.CriticLoss(randn(8, 1), randn(7, 1));
        act.Should().Throw<ArgumentException>().WithMessage("wgan-gp: real and fake must be rows × I of the same shape*");
    }

    [Fact]
    public void The_BCE_critic_classifies_the_two_Gaussians_and_its_losses_are_binary_cross_entropy()
    {
        random.manual_seed(54);
        using var critic = Components.Make(new BceGanFactory(), Components.Input(1),
            new Dictionary<string, string> { ["widths"] = "[16,8]", ["dropout"] = "0", ["batch_norm"] = "false" }, slot: "critic");
        var (real, fake) = Draw(4000);

        TrainCritic(critic, 200);

        using var noGrad = no_grad();
        double accuracy = (Components.Value((critic.Score(real) > 0).to_type(ScalarType.Float32).mean())
                         + Components.Value((critic.Score(fake) < 0).to_type(ScalarType.Float32).mean())) / 2;
        accuracy.Should().BeGreaterThan(0.9, "the Bayes accuracy is Φ(1.5) ≈ 0.93");

        // By hand: −mean log σ(D(real)) − mean log(1 − σ(D(fake))), and −mean log σ(D(fake)).
        var r = critic.Score(real);
        var f = critic.Score(fake);
        double critic_ = -Components.Value(nn.functional.logsigmoid(r).mean()) - Components.Value(nn.functional.logsigmoid(-f).mean());
        Components.Value(critic.CriticLoss(real, fake)).Should().BeApproximately(critic_, 1e-4);
        Components.Value(critic.GeneratorLoss(fake)).Should().BeApproximately(-Components.Value(nn.functional.logsigmoid(f).mean()), 1e-4);
    }

    [Fact]
    public void The_default_network_is_MMSSLs_quarter_and_eighth_widths_with_batch_norm_and_dropout()
    {
        using var critic = (WganGpCritic)Components.Make(new WganGpFactory(), Components.Input(64), slot: "critic");
        var layers = critic.Network.modules().ToList();

        layers.OfType<Linear>().Select(l => (l.in_features, l.out_features)).Should().Equal((64L, 16L), (16L, 8L), (8L, 1L));
        layers.OfType<BatchNorm1d>().Should().HaveCount(2);
        layers.OfType<Dropout>().Select(d => d.p).Should().Equal(0.31, 0.5);
        critic.Network.Shape.LeakySlope.Should().Be(0.2);
        critic.PenaltyWeight.Should().Be(10);
    }

    [Fact]
    public void Slope_1_reproduces_the_official_identity_activations()
    {
        random.manual_seed(55);
        var settings = new Dictionary<string, string> { ["widths"] = "[8,4]", ["dropout"] = "0", ["batch_norm"] = "false", ["sigmoid_output"] = "false" };
        using var official = Components.Make(new WganGpFactory(), Components.Input(1), new Dictionary<string, string>(settings) { ["leaky_slope"] = "1" }, slot: "critic");
        using var leaky = Components.Make(new WganGpFactory(), Components.Input(1), settings, slot: "critic");
        using var noGrad = no_grad();
        var line = linspace(-3, 3, 61).unsqueeze(1);

        // An affine function has zero second differences; kinks do not.
        double Curvature(IDiscriminator d) => Components.Value(d.Score(line).diff().diff().abs().max());
        Curvature(official).Should().BeLessThan(1e-4);
        Curvature(leaky).Should().BeGreaterThan(1e-2);
    }

    [Fact]
    public void Widths_that_round_to_zero_and_mismatched_dropouts_fail_with_the_key()
    {
        var tiny = () => Components.Make(new WganGpFactory(), Components.Input(4), slot: "critic");
        tiny.Should().Throw<ArgumentException>().WithMessage("hyper.critic.widths: the default [input_dim/4, input_dim/8] is [1,0] for input_dim = 4*");
        var dropout = () => Components.Make(new BceGanFactory(), Components.Input(64),
            new Dictionary<string, string> { ["widths"] = "[8,4,2]", ["dropout"] = "[0.1,0.2]" }, slot: "critic");
        dropout.Should().Throw<ArgumentException>().WithMessage("hyper.critic.dropout: '[0.1,0.2]' is not valid; expected one value or 3*");
        var noInput = () => Components.Make(new WganGpFactory(), slot: "critic");
        noInput.Should().Throw<ArgumentException>().WithMessage("component in slot 'critic' needs argument 'input_dim'*");
    }
}
