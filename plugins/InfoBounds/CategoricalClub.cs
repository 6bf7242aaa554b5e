using Microsoft.Extensions.Logging;
using TorchSharp;
using TorchSharp.Modules;
using Untangle.Contracts.Components;
using Untangle.Contracts.Training;
using static TorchSharp.torch;

namespace Untangle.Plugins.InfoBounds;

/// <summary>
/// "club-categorical": CLUB between a vector x and a categorical label y (Cheng et al., ICML 2020;
/// the official <c>CLUBForCategorical</c>, Linear95/CLUB mi_estimators.py, added 2022): q_θ(y|x) =
/// softmax(f(x)), f linear or one hidden ReLU layer, and
/// <code>
///     I_CLUB = mean_i log q(y_i|x_i) − mean_i mean_j log q(y_j|x_i)
/// </code>
/// over all pairs of the batch. y comes as one-hot rows (rows × classes, y_dim = classes).
/// </summary>
/// <remarks>
/// The official code forms the n × n matrix of log q(y_j|x_i); its mean is
/// mean_i Σ_c log q(c|x_i) · (share of the batch with label c), which is what this computes, in O(n·C)
/// (the same value). q_θ is fitted on −log q(y_i|x_i) (the official <c>learning_loss</c>), on detached
/// inputs, by its slot's schedule. Clamping at 0 is optional, as for the Gaussian CLUBs.
/// </remarks>
public sealed class CategoricalClub : IMutualInformationEstimator
{
    private readonly Classifier _q;
    private readonly bool _clampAtZero;
    private readonly ILogger _logger;
    private bool _warnedCondition;

    public CategoricalClub(int xDim, int classes, int hiddenSize, bool clampAtZero, ILogger logger, Device? device = null)
    {
        _q = new Classifier(xDim, classes, hiddenSize);
        if (device is not null) _q.to(device);
        _clampAtZero = clampAtZero;
        _logger = logger;
    }

    public InformationBound Bound => InformationBound.Upper;

    public nn.Module? Module => _q;

    /// <summary>f(x), the logits of q(y|x).</summary>
    public Tensor Logits(Tensor x) => _q.forward(x);

    public Tensor Estimate(Tensor x, Tensor y, Tensor? condition = null)
    {
        PairedRows.Check(InfoBoundsPlugin.ClubCategorical, x, y, _q.XDim, _q.Classes);
        if (condition is not null && !_warnedCondition)
        {
            _logger.LogWarning("{Estimator} ignores the condition it was given: it bounds I(x; y), not I(x; y | s)", InfoBoundsPlugin.ClubCategorical);
            _warnedCondition = true;
        }
        var logQ = nn.functional.log_softmax(_q.forward(x), 1);
        var positive = logQ.mul(y).sum(1).mean();
        // mean over j of log q(y_j|x_i) = Σ_c log q(c|x_i) · share_c.
        var negative = logQ.mul(y.mean([0], keepdim: true)).sum(1).mean();
        var bound = positive.sub(negative);
        return _clampAtZero ? bound.clamp_min(HeldScalars.Zero) : bound;
    }

    public Tensor? LearningLoss(Tensor x, Tensor y)
    {
        PairedRows.Check(InfoBoundsPlugin.ClubCategorical, x, y, _q.XDim, _q.Classes);
        var logQ = nn.functional.log_softmax(_q.forward(x.detach()), 1);
        return -logQ.mul(y.detach()).sum(1).mean();
    }

    public void Dispose()
    {
        _q.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>f(x): Linear(x_dim → classes), or with a hidden size h, Linear → ReLU → Linear as the official variational_net. Field names are checkpoint keys.</summary>
    private sealed class Classifier : nn.Module<Tensor, Tensor>
    {
        private readonly Sequential net;

        public Classifier(int xDim, int classes, int hidden) : base(nameof(CategoricalClub))
        {
            (XDim, Classes) = (xDim, classes);
            net = hidden > 0
                ? nn.Sequential(nn.Linear(xDim, hidden), nn.ReLU(), nn.Linear(hidden, classes))
                : nn.Sequential(nn.Linear(xDim, classes));
            RegisterComponents();
        }

        public int XDim { get; }
        public int Classes { get; }

        public override Tensor forward(Tensor x) => net.forward(x);
    }
}
