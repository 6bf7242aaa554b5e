using static TorchSharp.torch;

namespace Untangle.Contracts.Training;

/// <summary>
/// One operation of a user-code decoder: how a method's scores follow from the user code its
/// <see cref="Representation"/> hands out, written as a short program of these operations so that
/// steering can score a moved code in the host (<see cref="Apply"/>) and in an exported page (the
/// same operations in JavaScript) without knowing the method. Applying the whole program to the
/// unmoved code gives the method's own scores (the steering loader checks this on every run it opens).
/// </summary>
public abstract record DecoderOp
{
    /// <summary>batch × in → batch × out, in eval mode under no_grad.</summary>
    public abstract Tensor Apply(Tensor codes);
}

/// <summary>x·W + b with W inputs × outputs (vae_cf's layout) and an optional bias; a dot-product scorer is W = itemsᵀ.</summary>
public sealed record LinearDecoderOp(Tensor Weight, Tensor? Bias) : DecoderOp
{
    public override Tensor Apply(Tensor codes) => Bias is null ? codes.mm(Weight) : Bias.addmm(codes, Weight);
}

/// <summary>tanh, element-wise (between the layers of a vae_cf decoder).</summary>
public sealed record TanhDecoderOp : DecoderOp
{
    public override Tensor Apply(Tensor codes) => codes.tanh();
}

/// <summary>Each of <paramref name="Blocks"/> equal column blocks scaled to unit length (MacridVAE's l2norm of z_k).</summary>
public sealed record BlockUnitDecoderOp(int Blocks) : DecoderOp
{
    public override Tensor Apply(Tensor codes)
    {
        long rows = codes.shape[0], width = codes.shape[1];
        if (width % Blocks != 0) throw new ArgumentException($"a code of {width} columns does not split into {Blocks} equal blocks");
        var blocks = codes.reshape(rows, Blocks, width / Blocks);
        return nn.functional.normalize(blocks, p: 2, dim: 2).reshape(rows, width);
    }
}

/// <summary>
/// MacridVAE's decoder on unit concept blocks z_k (batch × K·d): log Σ_k c_ik·exp(z_k·ĥ_i/τ), with
/// <paramref name="ItemsOverTau"/> the unit item embeddings over τ (items × d) and
/// <paramref name="Weights"/> the item-concept assignment c (items × K).
/// </summary>
public sealed record ConceptMixtureDecoderOp(Tensor ItemsOverTau, Tensor Weights) : DecoderOp
{
    public override Tensor Apply(Tensor codes)
    {
        long rows = codes.shape[0], concepts = Weights.shape[1], d = ItemsOverTau.shape[1];
        var z = codes.reshape(rows, concepts, d);
        // batch × K × items similarities, weighted by c_ik and summed over k.
        var similarity = einsum("bkd,id->bki", z, ItemsOverTau).exp();
        return (similarity * Weights.t().unsqueeze(0)).sum(1).log();
    }
}

/// <summary>
/// A direction in a user representation's code space that the method itself gives meaning to
/// (MacridVAE: concept k's direction within block k). <paramref name="ItemWeights"/>, when given, is
/// how much each of the split's items belongs to the axis (MacridVAE: c_ik), which steering uses to
/// say which item attribute the axis is about.
/// </summary>
public sealed record CodeAxis(string Name, string Doc, float[] Direction, float[]? ItemWeights = null);
