using TorchSharp;
using Untangle.Contracts.Training;
using static TorchSharp.torch;

namespace Untangle.Host.Training;

/// <summary>
/// One optimisation step with the optimizer the engine built for it: zero the gradients, compute the
/// loss, refuse a NaN or infinite loss, back-propagate, clip if asked, update.
/// </summary>
internal sealed class StepRunner : IDisposable
{
    private readonly optim.Optimizer _optimizer;

    public StepRunner(OptimizationStep step)
    {
        Step = step;
        if (step.Parameters.Count == 0)
            throw new InvalidOperationException($"step '{step.Name}' has no parameters to optimise");
        _optimizer = Build(step.Optimizer, step.Parameters);
    }

    public OptimizationStep Step { get; }

    public double Run(TrainingBatch batch, Action<string, double> record)
    {
        _optimizer.zero_grad();
        var loss = Step.Loss(new StepContext(batch, record));
        double value = loss.detach().cpu().item<float>();
        if (!double.IsFinite(value))
            throw new NonFiniteLossException(Step.Name, batch.Epoch, batch.Index, value);
        loss.backward();
        if (Step.ClipGradNorm is double clip)
            nn.utils.clip_grad_norm_(Step.Parameters, clip);
        _optimizer.step();
        return value;
    }

    private static optim.Optimizer Build(OptimizerSpec spec, IReadOnlyList<TorchSharp.Modules.Parameter> parameters) =>
        spec.Kind.ToLowerInvariant() switch
        {
            "adam" => optim.Adam(parameters, lr: spec.LearningRate, beta1: spec.Betas.Beta1, beta2: spec.Betas.Beta2, weight_decay: spec.WeightDecay),
            "sgd" => optim.SGD(parameters, spec.LearningRate, weight_decay: spec.WeightDecay),
            "adagrad" => optim.Adagrad(parameters, lr: spec.LearningRate, weight_decay: spec.WeightDecay),
            var other => throw new ConfigurationException($"optimizer '{other}' is not known; expected adam, sgd or adagrad"),
        };

    public void Dispose() => _optimizer.Dispose();
}
