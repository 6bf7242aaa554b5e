using static TorchSharp.torch;

namespace Untangle.Plugins.Dcid;

/// <summary>
/// DCID's item representation after the representation phase, for every item (split order) and
/// modality: commons Φ_m(x), specifics Ψ_m(x) and, with a codebook, the code vectors of the commons.
/// </summary>
public sealed record ItemRepresentation(float[][][] Commons, float[][][] Specifics, float[][][]? Codes)
{
    /// <summary>Encodes all items in eval mode under no_grad, in chunks.</summary>
    public static ItemRepresentation Encode(DcidModel model, IReadOnlyList<Tensor> features)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        bool wasTraining = model.training;
        model.eval();
        var pass = model.Forward(features);
        model.train(wasTraining);
        return new ItemRepresentation(
            pass.Commons.Select(Rows).ToArray(),
            pass.Specifics.Select(Rows).ToArray(),
            pass.Quantized?.Select(Rows).ToArray());
    }

    /// <summary>What the recommender adds to the item embedding (<see cref="DcidHyperParameters.RecommenderInput"/>), items × |r|, or null for 'none'.</summary>
    public Tensor? RecommenderInput(string kind, Device device)
    {
        float[][][] parts = kind switch
        {
            "common" => Commons,
            "codes" => Codes ?? throw new InvalidOperationException("recommender_input 'codes' needs the codebook"),
            "all" => [.. Commons, .. Specifics],
            "none" => [],
            _ => throw new ArgumentException($"hyper.recommender_input: '{kind}' is not known; expected common, codes, all or none"),
        };
        if (parts.Length == 0) return null;
        int items = parts[0].Length;
        var joined = Enumerable.Range(0, items).Select(i => parts.SelectMany(p => p[i]).ToArray()).ToArray();
        int width = joined[0].Length;
        var data = new float[(long)items * width];
        for (int i = 0; i < items; i++) joined[i].CopyTo(data, (long)i * width);
        using var cpu = tensor(data, [items, width]);
        return cpu.to(device).DetachFromDisposeScope();
    }

    /// <summary>Commons and specifics of modality <paramref name="m"/> side by side (the undisentangled learned representation).</summary>
    public float[][] Full(int m) => Commons[m].Select((c, i) => c.Concat(Specifics[m][i]).ToArray()).ToArray();

    private static float[][] Rows(Tensor t)
    {
        var c = t.detach().cpu().contiguous();
        long rows = c.shape[0], cols = c.shape[1];
        var flat = c.data<float>().ToArray();
        var result = new float[rows][];
        for (long r = 0; r < rows; r++) result[r] = flat.AsSpan((int)(r * cols), (int)cols).ToArray();
        return result;
    }
}
