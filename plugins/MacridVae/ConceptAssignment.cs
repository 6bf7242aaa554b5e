using TorchSharp;
using TorchSharp.Modules;
using Untangle.Contracts.Components;
using Untangle.Plugins.VaeCF;
using static TorchSharp.torch;

namespace Untangle.Plugins.MacridVae;

/// <summary>
/// MacridVAE's macro disentanglement (Ma et al., NeurIPS 2019, sec. 3.1): K prototypes C ∈ R^{K×d}
/// (the official code's <c>cores</c>, Glorot-uniform) and, for item representations H (M×d), the
/// assignment of every item to the concepts:
/// <code>
///     s_ik = cos(h_i, c_k) / τ
///     training:    c_i = softmax(s_i + g_i)     g ~ Gumbel(0, 1), temperature 1   (one M×K draw per call)
///     evaluation:  c_i = softmax(s_i)
/// </code>
/// Cosine rather than a dot product keeps a prototype with a large norm from taking every item
/// (sec. 3.1). As an <see cref="IRowEncoder"/>, <see cref="Encode"/> maps the rows of H to the rows
/// of the assignment; any method with item representations of width d can use it.
/// </summary>
/// <remarks>
/// The official code samples <c>RelaxedOneHotCategorical(1, s)</c> in training and uses the softmax
/// at evaluation (<c>is_training_ph</c>); its <c>--nogb</c> flag (the softmax in training too) is the
/// setting gumbel = false here. Training or evaluation follows this module's train()/eval() state.
/// </remarks>
public sealed class ConceptAssignment : nn.Module, IRowEncoder
{
    // The checkpoint key. Not readonly: moving the module between devices replaces it.
    private Parameter prototypes;
    private readonly double _tau;
    private readonly bool _gumbel;
    private readonly double _gumbelTemperature;

    public ConceptAssignment(int concepts, long dim, double tau, bool gumbel, double gumbelTemperature, Generator generator)
        : base(nameof(ConceptAssignment))
    {
        if (concepts < 1) throw new ArgumentOutOfRangeException(nameof(concepts), concepts, "at least one concept is needed");
        if (tau <= 0) throw new ArgumentOutOfRangeException(nameof(tau), tau, "the temperature tau must be positive");
        if (gumbelTemperature <= 0) throw new ArgumentOutOfRangeException(nameof(gumbelTemperature), gumbelTemperature, "the Gumbel temperature must be positive");
        prototypes = DenseLayer.GlorotUniform(concepts, dim, generator);
        _tau = tau;
        _gumbel = gumbel;
        _gumbelTemperature = gumbelTemperature;
        RegisterComponents();
    }

    public int Concepts => (int)prototypes.shape[0];
    public double Tau => _tau;

    /// <summary>C, K × d (the parameter itself).</summary>
    public Tensor Prototypes => prototypes;

    public nn.Module Module => this;

    /// <summary>s = cos(H, C)/τ, items × K.</summary>
    public Tensor Logits(Tensor items)
    {
        using var inverseTau = (1 / _tau).ToScalar(); // see StableScalar
        return UnitRows.Of(items).mm(UnitRows.Of(prototypes).t()).mul(inverseTau);
    }

    /// <summary>The assignment, items × K, rows summing to 1: a Gumbel-softmax sample in training, the softmax at evaluation.</summary>
    public Tensor Encode(Tensor items)
    {
        if (items.dim() != 2 || items.shape[1] != prototypes.shape[1])
            throw new ArgumentException($"concept assignment expects items x {prototypes.shape[1]} item representations, got shape [{string.Join(", ", items.shape)}]");
        var logits = Logits(items);
        return training && _gumbel ? GumbelSoftmax.Sample(logits, _gumbelTemperature) : logits.softmax(1);
    }
}
