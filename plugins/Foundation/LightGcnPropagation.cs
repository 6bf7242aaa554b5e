using Untangle.Contracts.Components;
using TorchSharp;
using static TorchSharp.torch;
using Untangle.Contracts.Training;

namespace Untangle.Plugins.Foundation;

/// <summary>
/// LightGCN's light graph convolution and layer combination (He et al., SIGIR 2020, sec. 3.1: eq. 3-4,
/// in matrix form eq. 7-8): no feature transformation, no non-linearity, no self-loop;
/// <code>
///     E⁽ˡ⁺¹⁾ = Â E⁽ˡ⁾,      E = Σₗ₌₀..L αₗ E⁽ˡ⁾  with  αₗ = 1 / (L + 1)
/// </code>
/// i.e. the mean of the layer-0 (ego) embeddings and the L propagated layers, as the paper's
/// default and the reference code's <c>torch.mean(torch.stack(embs, dim=1), dim=1)</c>.
/// </summary>
/// <remarks>
/// It owns no parameters; it is still a module so that an encoder with parameters can take its
/// slot and be checkpointed and switched between train() and eval() the same way.
/// L = 0 returns the ego embeddings, i.e. plain matrix factorisation. On the CPU the product runs on a
/// CSR copy of Â (<see cref="CsrGraph"/>), the same sums as libtorch's COO product.
/// </remarks>
public sealed class LightGcnPropagation : nn.Module<Tensor, Tensor, Tensor>, IGraphEncoder
{
    public LightGcnPropagation(int layers) : base(nameof(LightGcnPropagation))
    {
        if (layers < 0) throw new ArgumentOutOfRangeException(nameof(layers), $"LightGCN needs layers >= 0, got {layers}");
        Layers = layers;
        RegisterComponents();
    }

    /// <summary>L, the number of propagation layers.</summary>
    public int Layers { get; }

    public nn.Module Module => this;

    public Tensor Propagate(Tensor adjacency, Tensor embeddings) => forward(adjacency, embeddings);

    // A CSR copy per graph tensor (by object), for a fixed float32 graph on the CPU; null: libtorch's COO product.
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<Tensor, CsrGraph> _csr = [];

    private CsrGraph? Csr(Tensor adjacency) =>
        adjacency.is_sparse && adjacency.device_type == DeviceType.CPU && adjacency.dtype == ScalarType.Float32 && !adjacency.requires_grad
            ? _csr.GetValue(adjacency, CsrGraph.FromCoo)
            : null;

    /// <param name="adjacency">Â, a sparse (U+I) × (U+I) matrix.</param>
    /// <param name="embeddings">E⁽⁰⁾, (U+I) × d.</param>
    public override Tensor forward(Tensor adjacency, Tensor embeddings)
    {
        var layer = embeddings;
        var sum = embeddings;
        var csr = Csr(adjacency);
        for (int l = 0; l < Layers; l++)
        {
            layer = csr is null ? adjacency.mm(layer) : CsrProduct.Apply(csr, layer);
            sum = sum.Plus(layer);
        }
        // A new tensor even for L = 0, so the caller may dispose it without touching E⁽⁰⁾.
        return sum.Over(Layers + 1);
    }
}
