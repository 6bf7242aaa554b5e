using Untangle.Contracts.Components;
using static TorchSharp.torch;

namespace Untangle.Plugins.InfoBounds;

/// <summary>
/// "gan-bce": the original GAN discriminator loss (Goodfellow et al., NeurIPS 2014) on the same row
/// network as "wgan-gp" (<see cref="RowCritic"/>). Score is the logit of "real".
/// <code>
///   CriticLoss(real, fake) = BCE(σ(D(real)), 1) + BCE(σ(D(fake)), 0)
///   GeneratorLoss(fake)    = BCE(σ(D(fake)), 1) = −mean log σ(D(fake))   (the non-saturating form, sec. 3)
/// </code>
/// </summary>
/// <remarks>Computed from logits (binary_cross_entropy_with_logits) for stability. CriticLoss detaches its inputs.</remarks>
public sealed class BceGanCritic(RowCritic net) : IDiscriminator
{
    public nn.Module Module => net;

    public RowCritic Network => net;

    /// <summary>The logit that a row is real.</summary>
    public Tensor Score(Tensor rows) => net.forward(rows);

    public Tensor CriticLoss(Tensor real, Tensor fake)
    {
        Tensor realLogits, fakeLogits;
        if (net.Shape.JointBatch)
        {
            // One batch, so batch norm normalises real and fake together (CriticArchitecture.JointBatch).
            var both = Score(cat([real.detach(), fake.detach()], 0));
            realLogits = both[..(int)real.shape[0]];
            fakeLogits = both[(int)real.shape[0]..];
        }
        else
        {
            realLogits = Score(real.detach());
            fakeLogits = Score(fake.detach());
        }
        return nn.functional.binary_cross_entropy_with_logits(realLogits, ones_like(realLogits))
             + nn.functional.binary_cross_entropy_with_logits(fakeLogits, zeros_like(fakeLogits));
    }

    public Tensor GeneratorLoss(Tensor fake)
    {
        var logits = Score(fake);
        return nn.functional.binary_cross_entropy_with_logits(logits, ones_like(logits));
    }

    public void Dispose() => net.Dispose();
}
