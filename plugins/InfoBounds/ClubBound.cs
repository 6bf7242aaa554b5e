using Microsoft.Extensions.Logging;
using Untangle.Contracts.Components;
using static TorchSharp.torch;
using Untangle.Contracts.Training;

namespace Untangle.Plugins.InfoBounds;

/// <summary>
/// The Contrastive Log-ratio Upper Bound (Cheng et al., ICML 2020, sec. 3, with the variational q_θ in place of p(y|x)):
/// I_CLUB(x; y) = E_p(x,y)[log q_θ(y|x)] − E_p(x)E_p(y)[log q_θ(y|x)], in nats. The two variants differ
/// only in how they draw the negatives (<see cref="AllPairsClub"/>, <see cref="SampledClub"/>).
/// </summary>
/// <remarks>
/// <para><b>What it bounds.</b> I_CLUB ≥ I(x; y) whenever KL(p(x,y)‖q_θ) ≤ KL(p(x)p(y)‖q_θ) (the
/// paper's condition for the variational CLUB): so it is an upper bound only once q_θ has been
/// fitted, which is what the estimator's own step does (<see cref="LearningLoss(TorchSharp.torch.Tensor, TorchSharp.torch.Tensor)"/>, scheduled by <see cref="EstimatorTraining"/>). A method
/// minimises weight·Estimate(x, y) in its main step with q_θ frozen (q's parameters are not in the
/// main step), then fits q_θ on detached inputs, as Algorithm 1.</para>
/// <para><b>Constant terms.</b> log q(y|x) is used without −½·logvar − ½·log 2π: those terms are the same
/// for the positive and the negatives of a row (both are evaluated at q(·|x_i)), so they cancel in the
/// difference (FairMI's code keeps them; the value is the same).</para>
/// </remarks>
public abstract class ClubBound : IMutualInformationEstimator
{
    private readonly GaussianConditional _q;
    private readonly bool _clampAtZero;
    private readonly ILogger _logger;
    private bool _warnedCondition;

    protected ClubBound(GaussianConditional q, bool clampAtZero, ILogger logger)
    {
        _q = q;
        _clampAtZero = clampAtZero;
        _logger = logger;
    }

    /// <summary>Upper: the estimate lies above I(x; y) when q_θ is trained (see remarks).</summary>
    public InformationBound Bound => InformationBound.Upper;

    /// <summary>q_θ(y|x), the estimator's only parameters.</summary>
    public GaussianConditional Conditional => _q;

    public nn.Module? Module => _q;

    /// <summary>The bound in nats, differentiable in x, y (and θ). <paramref name="condition"/> is ignored: CLUB estimates I(x; y).</summary>
    public Tensor Estimate(Tensor x, Tensor y, Tensor? condition = null)
    {
        PairedRows.Check(Name, x, y, _q.XDim, _q.YDim);
        if (condition is not null && !_warnedCondition)
        {
            _logger.LogWarning("{Estimator} ignores the condition it was given: it bounds I(x; y), not I(x; y | s)", Name);
            _warnedCondition = true;
        }
        var (mean, logVariance) = _q.forward(x);
        var bound = Contrast(mean, logVariance, y);
        // FairMI clamps its CLUBSample value at 0 from below (a negative upper bound carries no signal).
        return _clampAtZero ? bound.clamp_min(HeldScalars.Zero) : bound;
    }

    /// <summary>
    /// q_θ's loss: the unnormalised negative log-likelihood −mean_i Σ_d [−(μ_id − y_id)²/exp(logvar_id) − logvar_id]
    /// (the official <c>learning_loss</c>, twice the Gaussian NLL up to a constant), on detached inputs so
    /// it trains q_θ only.
    /// </summary>
    public Tensor? LearningLoss(Tensor x, Tensor y)
    {
        PairedRows.Check(Name, x, y, _q.XDim, _q.YDim);
        var target = y.detach();
        var (mean, logVariance) = _q.forward(x.detach());
        var logLikelihood = (-(mean - target).Squared() / logVariance.exp() - logVariance).sum(1).mean();
        return -logLikelihood;
    }

    /// <summary>The component name, for messages.</summary>
    protected abstract string Name { get; }

    /// <summary>mean_i (log q(y_i|x_i) − E_negatives log q(y_neg|x_i)), from μ(x), logvar(x) and y.</summary>
    protected abstract Tensor Contrast(Tensor mean, Tensor logVariance, Tensor y);

    public void Dispose()
    {
        _q.Dispose();
        GC.SuppressFinalize(this);
    }
}
