using static TorchSharp.torch;

namespace Untangle.Plugins.Pamd;

/// <summary>One modality's representations of every split item as plain rows, for the probes.</summary>
public sealed record ModalityRows(string Name, float[][] Common, float[][] Specific, float[][] Full, float[][] Raw);

/// <summary>
/// The parts of every split item, copied off the device (items × d per part): what the "disentanglement"
/// and "transfer" analyses probe. Taken once after pretraining and once on the best model.
/// </summary>
public sealed record PartsSnapshot(ModalityRows V, ModalityRows T)
{
    public static PartsSnapshot Take(DisentangledEncoders encoders, ItemModalities items)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        bool training = encoders.training;
        encoders.eval();
        var parts = encoders.Encode(items.V, items.T);
        if (training) encoders.train();
        return new PartsSnapshot(
            new ModalityRows(items.NameV, Rows(parts.CV), Rows(parts.SV), Rows(parts.HV), Rows(items.V)),
            new ModalityRows(items.NameT, Rows(parts.CT), Rows(parts.ST), Rows(parts.HT), Rows(items.T)));
    }

    public static float[][] Rows(Tensor matrix)
    {
        var cpu = matrix.detach().cpu().contiguous();
        int rows = (int)cpu.shape[0], columns = (int)cpu.shape[1];
        var data = cpu.data<float>().ToArray();
        var result = new float[rows][];
        for (int r = 0; r < rows; r++) result[r] = data.AsSpan(r * columns, columns).ToArray();
        return result;
    }
}
