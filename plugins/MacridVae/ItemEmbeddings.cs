using TorchSharp.Modules;
using Untangle.Plugins.VaeCF;
using static TorchSharp.torch;

namespace Untangle.Plugins.MacridVae;

/// <summary>
/// MacridVAE's item embeddings H ∈ R^{M×d} (the official code's <c>items</c>, Glorot-uniform):
/// they place items among the prototypes (concept assignment) and, normalised, are the decoder's
/// item side (score = cos(z_k, h_i)/τ).
/// </summary>
public sealed class ItemEmbeddings : nn.Module
{
    // The checkpoint key. Not readonly: moving the module between devices replaces it.
    private Parameter items;

    public ItemEmbeddings(long count, long dim, Generator generator) : base(nameof(ItemEmbeddings))
    {
        items = DenseLayer.GlorotUniform(count, dim, generator);
        RegisterComponents();
    }

    /// <summary>H, items × d (the parameter itself).</summary>
    public Tensor Table => items;

    public long Count => items.shape[0];
    public long Dim => items.shape[1];
}
