using Untangle.Contracts.Components;
using static TorchSharp.torch;

namespace Untangle.Host.Training;

/// <summary>
/// What a method gets from an engine-trained slot (<see cref="SlotTraining.Engine"/>) whose estimator
/// owns a network: the estimator itself, plus a record of the detached inputs of every call made with
/// gradients on. After the step that made those calls, <see cref="SlotFits"/> fits the network on them
/// and clears the record, so the estimator learns from exactly what the method showed it.
/// </summary>
/// <remarks>
/// Calls under no_grad (analyses, evaluation) are not recorded: they are not training. The recorded
/// tensors live in the step's dispose scope and are used before it closes.
/// </remarks>
internal sealed class EngineFittedEstimator(IMutualInformationEstimator inner, string slot, string component) : IMutualInformationEstimator
{
    private readonly List<(Tensor X, Tensor Y, Tensor? Condition)> _calls = [];

    public string Slot => slot;
    public string Component => component;
    public IMutualInformationEstimator Inner => inner;
    public InformationBound Bound => inner.Bound;
    public nn.Module? Module => inner.Module;

    /// <summary>Inputs seen since the last fit.</summary>
    public int PendingCalls => _calls.Count;

    public Tensor Estimate(Tensor x, Tensor y, Tensor? condition = null)
    {
        if (is_grad_enabled()) _calls.Add((x.detach(), y.detach(), condition?.detach()));
        return inner.Estimate(x, y, condition);
    }

    public Tensor? LearningLoss(Tensor x, Tensor y) => inner.LearningLoss(x, y);
    public Tensor? LearningLoss(Tensor x, Tensor y, Tensor? condition) => inner.LearningLoss(x, y, condition);

    /// <summary>The learning loss summed over the recorded calls (the fit step's loss).</summary>
    public Tensor FitLoss()
    {
        Tensor? total = null;
        foreach (var (x, y, c) in _calls)
        {
            var loss = inner.LearningLoss(x, y, c) ?? throw new InvalidOperationException(
                $"slot '{slot}': '{component}' owns parameters but returned no learning loss; the engine cannot fit it");
            total = total is null ? loss : total + loss;
        }
        return total ?? throw new InvalidOperationException($"slot '{slot}': no recorded inputs to fit on");
    }

    public void Forget() => _calls.Clear();

    public void Dispose() => inner.Dispose();
}
