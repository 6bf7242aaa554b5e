using Untangle.Contracts.Components;
using static TorchSharp.torch;

namespace Untangle.Plugins.Pamd;

/// <summary>
/// PAMD's pretraining loss on a batch of items (Han et al., WWW 2022, sec. 3.4; official <c>Train</c>):
/// <code>
///   L = λ_sim·L_sim(c_v, c_t) + λ_sep·Sep(s_v, s_t) + λ_dec·(L_dec(x_v; t→v) + L_dec(x_t; v→t))
/// </code>
/// with every weight 1 by default and Sep the "separation" slot (orthogonality: L_ort). The paper's
/// ablations are switches: PAMD_en drops the decoder term, PAMD_de the two encoder terms, and the
/// without-contrastive variant replaces the ordering loss by a plain reconstruction from the commons.
/// </summary>
public sealed class PretrainingObjective(
    DisentangledEncoders encoders, CrossModalDecoders decoders, IMutualInformationEstimator? separation, PamdHyperParameters hyper)
{
    /// <summary>The loss for aligned rows of the two modalities; each term is handed to <paramref name="record"/> by name.</summary>
    public Tensor Loss(Tensor v, Tensor t, Action<string, Tensor> record)
    {
        var parts = encoders.Encode(v, t);
        Tensor? loss = null;
        void Add(string name, Tensor term, double weight)
        {
            record(name, term);
            var weighted = term * weight;
            loss = loss is null ? weighted : loss + weighted;
        }

        if (hyper.UseEncoderLosses)
        {
            Add("sim", PamdLosses.Similarity(parts.CV, parts.CT), hyper.SimilarityWeight);
            if (separation is not null) Add("separation", separation.Estimate(parts.SV, parts.ST), hyper.SeparationWeight);
        }
        if (hyper.UseDecoderLoss)
        {
            if (hyper.DecoderLoss == DecoderLoss.Contrastive)
            {
                Add("dec_t2v", PamdLosses.DecoderOrdering(v, decoders.TToV(parts.HT), decoders.TToV(parts.CT), decoders.TToV(parts.ST), hyper.Temperature), hyper.DecoderWeight);
                Add("dec_v2t", PamdLosses.DecoderOrdering(t, decoders.VToT(parts.HV), decoders.VToT(parts.CV), decoders.VToT(parts.SV), hyper.Temperature), hyper.DecoderWeight);
            }
            else
            {
                Add("rec_t2v", PamdLosses.Reconstruction(v, decoders.TToV(parts.CT)), hyper.DecoderWeight);
                Add("rec_v2t", PamdLosses.Reconstruction(t, decoders.VToT(parts.CV)), hyper.DecoderWeight);
            }
        }
        return loss ?? throw new InvalidOperationException("PAMD pretraining has no loss term switched on (use_encoder_losses and use_decoder_loss are both false)");
    }

    /// <summary>The specific parts the separation estimator's own network fits on (detached by the caller).</summary>
    public (Tensor SV, Tensor ST) Specifics(Tensor v, Tensor t)
    {
        var parts = encoders.Encode(v, t);
        return (parts.SV, parts.ST);
    }
}
