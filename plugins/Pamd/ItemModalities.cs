using Untangle.Contracts.Data;
using static TorchSharp.torch;

namespace Untangle.Plugins.Pamd;

/// <summary>
/// PAMD's two item modalities, v and t, as items × F tensors whose row j is split item j
/// (Split.ItemToDataset), plus the raw rows for the analyses. PAMD's encoders are linear layers
/// on precomputed features (the official code: VGG-16 image vectors and the title's GloVe vectors
/// concatenated), so any two feature matrices of the data set can play v and t.
/// </summary>
public sealed class ItemModalities : IDisposable
{
    public required string NameV { get; init; }
    public required string NameT { get; init; }
    /// <summary>items × F_v on the run's device.</summary>
    public required Tensor V { get; init; }
    /// <summary>items × F_t on the run's device.</summary>
    public required Tensor T { get; init; }

    public int ItemCount => (int)V.shape[0];
    public int WidthV => (int)V.shape[1];
    public int WidthT => (int)T.shape[1];

    /// <summary>
    /// Reads modalities <paramref name="nameV"/> and <paramref name="nameT"/>; fails naming the hyper key and
    /// listing the modalities the data set has when one is missing.
    /// </summary>
    public static ItemModalities Read(Dataset dataset, Split split, string nameV, string nameT, Device device) => new()
    {
        NameV = nameV,
        NameT = nameT,
        V = Matrix(dataset, split, nameV, "modality_v", device),
        T = Matrix(dataset, split, nameT, "modality_t", device),
    };

    private static Tensor Matrix(Dataset dataset, Split split, string name, string key, Device device) =>
        SplitItemFeatures.Tensor(dataset, split, name, $"hyper.{key}", device);

    public void Dispose()
    {
        V.Dispose();
        T.Dispose();
    }
}
