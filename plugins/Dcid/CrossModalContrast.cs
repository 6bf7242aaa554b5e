using Untangle.Contracts.Components;
using static TorchSharp.torch;

namespace Untangle.Plugins.Dcid;

/// <summary>
/// DCID's cross-modal InfoNCE (Xia et al., NeurIPS 2023, sec. 3.1: maximise I(Φ_A(x_A); Φ_B(x_B)); the
/// official <c>Cross_CPC</c>): the commons of the same item in two modalities are the positive pair,
/// the other items of the batch the negatives. The loss, with the estimator of the "contrast" slot
/// (InfoBounds' "infonce": log N − L_NCE, x rows as anchors),
/// <code>
///   L = −Σ_{A≠B} Estimate(c_A, c_B)  −  w_self · Σ_A Estimate(c̃_A, c_A)
/// </code>
/// sums both directions of every cross pair with weight 1 and the self pairs with weight 0.1, as the
/// official loss (its cross terms A→B and B→A, and 0.1 times its within-modality terms).
/// </summary>
/// <remarks>
/// In the official CPC a self pair is a modality predicting its own next time step; an item modality
/// is one vector, so the self pair here is the commons of a feature-dropout view x̃_A of the same items
/// against the commons of x_A (<c>c̃_A = Φ_A(dropout(x_A))</c>). Each −Estimate is L_NCE − log N, so the
/// loss is the usual contrastive loss up to a constant.
/// </remarks>
public static class CrossModalContrast
{
    /// <summary>L above; <paramref name="selfViews"/> null or <paramref name="selfWeight"/> 0 leaves out the self pairs.</summary>
    public static Tensor Loss(IMutualInformationEstimator estimator, IReadOnlyList<Tensor> commons, IReadOnlyList<Tensor>? selfViews, double selfWeight)
    {
        if (commons.Count < 2)
            throw new ArgumentException($"the cross-modal InfoNCE needs at least two modalities; got {commons.Count}");
        Tensor loss = zeros(1, device: commons[0].device).squeeze();
        for (int a = 0; a < commons.Count; a++)
            for (int b = 0; b < commons.Count; b++)
                if (a != b) loss = loss - estimator.Estimate(commons[a], commons[b]);
        if (selfViews is not null && selfWeight > 0)
            for (int a = 0; a < commons.Count; a++)
                loss = loss - selfWeight * estimator.Estimate(selfViews[a], commons[a]);
        return loss;
    }
}
