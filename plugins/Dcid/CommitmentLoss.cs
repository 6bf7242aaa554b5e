using Untangle.Contracts.Training;
using static TorchSharp.torch;

namespace Untangle.Plugins.Dcid;

/// <summary>
/// DCID's commitment loss with cross terms (official <c>Cross_VQEmbeddingEMA</c>): each modality's
/// continuous commons z_m commit to their own codes q_m with twice the weight of the partners' codes
/// of the same items,
/// <code>
///   L_m = β (2 · MSE(z_m, sg[q_m]) + mean_{n≠m} MSE(z_m, sg[q_n]))
/// </code>
/// (β = 0.25; with two modalities the mean is the one partner term, as the official code). Only the
/// encoders get gradients: the codebook moves by EMA (<see cref="MultimodalEma"/>).
/// </summary>
public static class CommitmentLoss
{
    /// <summary>L_m for every modality m.</summary>
    public static Tensor[] PerModality(IReadOnlyList<Tensor> commons, IReadOnlyList<Tensor> codes, double beta)
    {
        var losses = new Tensor[commons.Count];
        for (int m = 0; m < commons.Count; m++)
        {
            var own = nn.functional.mse_loss(commons[m], codes[m].detach());
            if (commons.Count == 1)
            {
                losses[m] = own.Times(beta * 2.0);
                continue;
            }
            Tensor? cross = null;
            for (int n = 0; n < commons.Count; n++)
            {
                if (n == m) continue;
                var term = nn.functional.mse_loss(commons[m], codes[n].detach());
                cross = cross is null ? term : cross.Plus(term);
            }
            losses[m] = own.Blend(beta * 2.0, cross!, beta / (commons.Count - 1));
        }
        return losses;
    }
}
