using Untangle.Contracts.Components;
using static TorchSharp.torch;

namespace Untangle.Plugins.Dcid;

/// <summary>
/// DCID's representation loss on one batch of items (specs/dcid-pamd.md; all weights 1 by default):
/// <code>
///   L = Σ_m [ MSE(Dec_m([c_m, s_m]), x_m) + β(2 MSE(c_m, sg q_m) + MSE(c_m, sg q_partner)) + I_CLUB(c_m; s_m) ]
///       + L_InfoNCE(c_1, …, c_M)
/// </code>
/// with c_m = Φ_m(x_m), s_m = Ψ_m(x_m), q_m the codes of c_m (<see cref="CommitmentLoss"/>), the CLUB
/// estimators from the "club" slot (one per modality, q networks frozen here: they train in their own
/// step) and the cross-modal InfoNCE from the "contrast" slot (<see cref="CrossModalContrast"/>).
/// The official loss also has a cross-modal code-matching term (CMCM) that the spec does not list; it is
/// left out. The terms are named after the components in the slots (<paramref name="clubName"/>.&lt;modality&gt;,
/// <paramref name="contrastName"/>), so a log shows what really ran: "club.image" and "infonce" by default.
/// </summary>
public sealed class DcidObjective(
    DcidModel model, IReadOnlyList<IMutualInformationEstimator>? clubs, IMutualInformationEstimator? contrast, DcidHyperParameters hyper,
    string clubName = "club", string contrastName = "infonce")
{
    public DcidModel Model => model;

    /// <summary>The loss, the pass it came from (for the codebook update and CLUB's fit) and the named terms.</summary>
    public (Tensor Loss, DcidPass Pass, IReadOnlyDictionary<string, Tensor> Terms) Compute(IReadOnlyList<Tensor> inputs, bool training)
    {
        var pass = model.Forward(inputs);
        var terms = new Dictionary<string, Tensor>();
        Tensor loss = zeros(1, device: inputs[0].device).squeeze();
        var commitments = pass.Quantized is null ? null : CommitmentLoss.PerModality(pass.Commons, pass.Quantized, hyper.Commitment);
        for (int m = 0; m < model.Count; m++)
        {
            string name = model.Modalities[m];
            var reconstruction = nn.functional.mse_loss(pass.Reconstructions[m], inputs[m]);
            terms[$"reconstruction.{name}"] = reconstruction;
            loss = loss + hyper.ReconstructionWeight * reconstruction;
            if (commitments is not null)
            {
                terms[$"commitment.{name}"] = commitments[m];
                loss = loss + commitments[m];
            }
            if (clubs is not null)
            {
                var club = clubs[m].Estimate(pass.Commons[m], pass.Specifics[m]);
                terms[$"{clubName}.{name}"] = club;
                loss = loss + hyper.ClubWeight * club;
            }
        }
        if (contrast is not null)
        {
            Tensor[]? views = null;
            if (hyper.SelfPairWeight > 0)
                views = Enumerable.Range(0, model.Count)
                    .Select(m => model.Parts(m).Common(nn.functional.dropout(inputs[m], hyper.SelfViewDropout, training)))
                    .ToArray();
            var infoNce = CrossModalContrast.Loss(contrast, pass.Commons, views, hyper.SelfPairWeight);
            terms[contrastName] = infoNce;
            loss = loss + hyper.ContrastWeight * infoNce;
        }
        return (loss, pass, terms);
    }
}
