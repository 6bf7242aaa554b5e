using Untangle.Contracts.Components;
using static TorchSharp.torch;
using Untangle.Contracts.Training;

namespace Untangle.Plugins.InfoBounds;

/// <summary>
/// "wgan-gp": a Wasserstein critic with gradient penalty (Gulrajani et al., NeurIPS 2017, Algorithm 1) on
/// MMSSL's row network (<see cref="RowCritic"/>; Wei et al., WWW 2023). D(x) = scale·sigmoid(net(x)) as
/// MMSSL (scale 100), or net(x) with sigmoid_output = false.
/// <code>
///   CriticLoss(real, fake) = −mean D(real) + mean D(fake) + λ·mean_i (‖∇_x̂ D(x̂_i)‖₂ − 1)²,
///                            x̂_i = α_i·real_i + (1 − α_i)·fake_i,  α_i ~ U(0, 1) per row
///   GeneratorLoss(fake)    = −mean D(fake)
/// </code>
/// </summary>
/// <remarks>
/// <para>The penalty's gradient comes from torch.autograd.grad with create_graph, so the critic step
/// back-propagates through it (a double backward). CriticLoss detaches real and fake: the critic step
/// must not train the generator (the generator's own step uses <see cref="GeneratorLoss"/>).</para>
/// <para><b>Optimizer.</b> Gulrajani et al. and MMSSL train the critic with Adam, betas (0.5, 0.9)
/// (<see cref="RecommendedBetas"/>); MMSSL at lr 3e-4. A critic step asks for them with
/// <c>OptimizerSpec.Adam(lr, WganGpCritic.RecommendedBetas)</c>.</para>
/// <para><b>One batch.</b> Real and fake rows go through the network as one batch unless joint_batch is
/// off (<see cref="CriticArchitecture.JointBatch"/>).</para>
/// <para><b>λ.</b> The paper uses 10; MMSSL's effective weight is 0.3 (gp_rate 1 × LAMBDA 0.3 inside its
/// penalty), set as hyper.&lt;slot&gt;.gp_weight = 0.3.</para>
/// <para><b>Batch norm and the penalty.</b> With batch norm (MMSSL's network) the penalty is taken in
/// training mode, where each row's score depends on the batch's statistics; it then holds the batch-mode
/// function near 1-Lipschitz, not the eval-mode one (on the two-Gaussian test the eval-mode gradient norm
/// at interpolates stays around 4-5, while without batch norm it settles near 1). Gulrajani et al. advise
/// against batch norm in the critic for this reason; batch_norm = false removes it. The ×100 sigmoid can
/// also saturate; sigmoid_output = false gives the paper's unbounded critic.</para>
/// </remarks>
public sealed class WganGpCritic(RowCritic net, bool sigmoidOutput, double outputScale, double penaltyWeight) : IDiscriminator
{
    /// <summary>Adam's (β1, β2) for the critic in Gulrajani et al. and MMSSL.</summary>
    public static readonly (double Beta1, double Beta2) RecommendedBetas = (0.5, 0.9);

    public nn.Module Module => net;

    public RowCritic Network => net;

    public double PenaltyWeight => penaltyWeight;

    /// <summary>D(rows): one score per row (higher: more "real").</summary>
    public Tensor Score(Tensor rows)
    {
        var raw = net.forward(rows);
        return sigmoidOutput ? raw.sigmoid().Times(outputScale) : raw;
    }

    public Tensor CriticLoss(Tensor real, Tensor fake)
    {
        var (r, f) = Detached(real, fake);
        var (realScores, fakeScores) = ScorePair(r, f);
        var wasserstein = fakeScores.mean() - realScores.mean();
        if (penaltyWeight == 0) return wasserstein;
        var norms = GradientNorms(r, f, createGraph: true);
        return wasserstein.Plus((norms - ones_like(norms)).Squared().mean().Times(penaltyWeight));
    }

    public Tensor GeneratorLoss(Tensor fake) => -Score(fake).mean();

    /// <summary>D(real) and D(fake), in one batch unless joint_batch is off (<see cref="CriticArchitecture.JointBatch"/>).</summary>
    private (Tensor Real, Tensor Fake) ScorePair(Tensor real, Tensor fake)
    {
        if (!net.Shape.JointBatch) return (Score(real), Score(fake));
        var both = Score(cat([real, fake], 0));
        return (both[..(int)real.shape[0]], both[(int)real.shape[0]..]);
    }

    /// <summary>
    /// ‖∇_x̂ D(x̂)‖₂ per row at random interpolates between <paramref name="real"/> and <paramref name="fake"/>
    /// (what the penalty drives to 1). With <paramref name="createGraph"/> false the norms are plain values.
    /// </summary>
    public Tensor GradientNorms(Tensor real, Tensor fake, bool createGraph = false)
    {
        var (r, f) = Detached(real, fake);
        var alpha = rand([r.shape[0], 1], dtype: r.dtype, device: r.device);
        var interpolates = (alpha * r).Plus((ones_like(alpha) - alpha) * f).detach().requires_grad_(true);
        var scores = Score(interpolates);
        var gradient = autograd.grad([scores], [interpolates], [ones_like(scores)], retain_graph: true, create_graph: createGraph)[0];
        var norms = gradient.norm(1, false, 2);
        return createGraph ? norms : norms.detach();
    }

    private static (Tensor Real, Tensor Fake) Detached(Tensor real, Tensor fake)
    {
        if (real.dim() != 2 || !real.shape.SequenceEqual(fake.shape))
            throw new ArgumentException($"{InfoBoundsPlugin.WganGp}: real and fake must be rows × I of the same shape (interpolates pair them row by row); got real {PairedRows.Shape(real)} and fake {PairedRows.Shape(fake)}");
        return (real.detach(), fake.detach());
    }

    public void Dispose() => net.Dispose();
}
