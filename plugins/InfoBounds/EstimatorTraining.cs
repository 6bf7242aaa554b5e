using Untangle.Contracts.Components;
using Untangle.Contracts.Training;
using static TorchSharp.torch;

namespace Untangle.Plugins.InfoBounds;

/// <summary>
/// Turns an estimator and its schedule into the optimisation step that fits the estimator's own
/// network (CLUB's q_θ) on detached inputs, so methods do not each write it. Estimators without a
/// network (InfoNCE, orthogonality) get no step, so a method can swap them in the same slot.
/// </summary>
/// <example>
/// <code>
/// var mi = context.Create&lt;IMutualInformationEstimator&gt;("upper", new Dictionary&lt;string, object&gt; { ["x_dim"] = 64, ["y_dim"] = 64 });
/// var schedule = EstimatorSchedule.Read(context.Hyper, "mi_schedule");
/// Steps = [main, .. EstimatorTraining.Steps("upper-fit", mi, schedule, OptimizerSpec.Adam(1e-3),
///     step => step.Batch.Kind == BatchKind.FullGraph ? (allZ, allS) : (batchZ, batchS))],
/// Modules = { ..., ["upper"] = mi.Module }   // when not null: checkpointed, moved, train()/eval()
/// </code>
/// </example>
/// <remarks>
/// <para><b>Order.</b> Declare the step after the main step. Per batch, the engine runs steps in
/// declared order and a RepeatPerBatch(k) step k times, so each batch is one main step on loss + weight·Estimate
/// (q_θ frozen: its parameters are not the main step's) followed by k fits of q_θ (CLUB's Algorithm 1).
/// A PerEpoch(n) step runs n times before the epoch's first batch, on a FullGraph batch: the
/// <c>inputs</c> function then returns the full embeddings (FairMI).</para>
/// <para><b>Inputs.</b> <c>inputs</c> is evaluated under no_grad (the estimator trains on detached values,
/// so nothing needs the encoder's graph), and the estimator's <see cref="IMutualInformationEstimator.LearningLoss(TorchSharp.torch.Tensor, TorchSharp.torch.Tensor)"/>
/// detaches again. On a per-batch schedule it is called k times on the same batch: the engine draws no
/// fresh samples in between, where the CLUB notebook does.</para>
/// </remarks>
public static class EstimatorTraining
{
    /// <summary>The estimator's fitting step, or none when it has no trainable network.</summary>
    public static IReadOnlyList<OptimizationStep> Steps(
        string name, IMutualInformationEstimator estimator, EstimatorSchedule schedule, OptimizerSpec optimizer,
        Func<StepContext, (Tensor X, Tensor Y)> inputs)
    {
        var parameters = estimator.Module?.parameters().Where(p => p.requires_grad).ToList() ?? [];
        if (parameters.Count == 0) return [];
        return
        [
            new OptimizationStep
            {
                Name = name,
                Parameters = parameters,
                Optimizer = optimizer,
                Schedule = schedule.ToSchedule(),
                Loss = step =>
                {
                    Tensor x, y;
                    using (no_grad())
                    {
                        (x, y) = inputs(step);
                    }
                    return estimator.LearningLoss(x.detach(), y.detach())
                        ?? throw new InvalidOperationException($"step '{name}': the estimator has parameters but no learning loss");
                },
            },
        ];
    }
}
