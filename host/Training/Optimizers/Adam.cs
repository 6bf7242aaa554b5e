using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Untangle.Host.Training.Optimizers;

/// <summary>
/// Adam (Kingma and Ba, "Adam: A Method for Stochastic Optimization", ICLR 2015, Algorithm 1; weight
/// decay added to the gradient as torch.optim.Adam does), exactly TorchSharp's <see cref="Adam"/> but for
/// how it makes its Scalars.
/// </summary>
/// <remarks>
/// TorchSharp's step turns each double it passes to a tensor op (β₁, 1 − β₁, √(1 − β₂ᵗ), ε, the step
/// size ...) into a temporary Scalar that only a finalizer frees. A finalizer that frees one while a
/// native call still reads it crashes the process ("Unknown scalar type" in THSTensor_mul_scalar_,
/// seen in a bench run). Here each Scalar is created for the step and disposed when the step is done.
/// It is a subclass of TorchSharp's Adam, doing the same operations in the same order on the same
/// state: updates are bit-identical (AdamTests compares them) and checkpoints keep TorchSharp's
/// state format, so runs checkpointed before this change resume unchanged. That is also why the class
/// is called Adam: TorchSharp writes the optimizer's type name into its state and refuses another name
/// on load.
/// </remarks>
internal sealed class Adam(IEnumerable<Parameter> parameters, double lr, double beta1, double beta2, double eps = 1e-8, double weightDecay = 0)
    : TorchSharp.Modules.Adam(parameters, lr, beta1, beta2, eps, weightDecay)
{
    public override Tensor step(Func<Tensor>? closure = null) => _step<ParamGroup>(group =>
    {
        var options = (Options)group.Options;
        double beta1 = options.beta1!.Value, beta2 = options.beta2!.Value, lr = options.LearningRate!.Value;
        double weightDecay = options.weight_decay!.Value;
        bool amsgrad = options.amsgrad!.Value, maximize = options.maximize!.Value;
        using Scalar b1 = beta1, oneMinusB1 = 1 - beta1, b2 = beta2, oneMinusB2 = 1 - beta2, eps = options.eps!.Value, decay = weightDecay;

        foreach (var param in group.Parameters)
        {
            var state = (State)_state[param.Handle];
            var grad = param.grad;
            if (grad is null) continue;
            if (maximize) grad = -grad;

            state.step += 1;
            var biasCorrection1 = 1 - Math.Pow(beta1, state.step);
            var biasCorrection2 = 1 - Math.Pow(beta2, state.step);
            if (weightDecay != 0) grad = grad.add(param, alpha: decay);

            // m ← β₁m + (1 − β₁)g;  v ← β₂v + (1 − β₂)g²
            state.exp_avg.mul_(b1).add_(grad, alpha: oneMinusB1);
            state.exp_avg_sq.mul_(b2).addcmul_(grad, grad.conj(), value: oneMinusB2);

            // θ ← θ − (lr / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε)
            using Scalar root = Math.Sqrt(biasCorrection2), stepSize = -(lr / biasCorrection1);
            Tensor denom;
            if (amsgrad)
            {
                var previous = state.max_exp_avg_sq;
                state.max_exp_avg_sq = maximum(previous, state.exp_avg_sq).DetachFromDisposeScope();
                previous.Dispose();
                denom = (state.max_exp_avg_sq.sqrt() / root).add_(eps);
            }
            else
            {
                denom = (state.exp_avg_sq.sqrt() / root).add_(eps);
            }
            param.addcdiv_(state.exp_avg, denom, value: stepSize);
        }
    }, closure);
}
