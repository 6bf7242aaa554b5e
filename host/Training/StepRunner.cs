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

    /// <summary>Saves the optimizer's state (Adam's moments and step counts, SGD's momentum) for a checkpoint.</summary>
    public void SaveState(string path) => Helper.save_state_dict(path);

    /// <summary>Continues from a state saved with <see cref="SaveState"/>.</summary>
    public void LoadState(string path) => Helper.load_state_dict(path);

    // Every optimizer StepRunner builds is one of TorchSharp's, which carry their state through OptimizerHelper.
    private TorchSharp.Modules.OptimizerHelper Helper => _optimizer as TorchSharp.Modules.OptimizerHelper
        ?? throw new InvalidOperationException($"step '{Step.Name}': the optimizer {_optimizer.GetType().Name} cannot save its state");

    private static optim.Optimizer Build(OptimizerSpec spec, IReadOnlyList<TorchSharp.Modules.Parameter> parameters) =>
        spec.Kind.ToLowerInvariant() switch
        {
            "adam" => new Optimizers.Adam(parameters, spec.LearningRate, spec.Betas.Beta1, spec.Betas.Beta2, weightDecay: spec.WeightDecay),
            "sgd" => optim.SGD(parameters, spec.LearningRate, weight_decay: spec.WeightDecay),
            "adagrad" => optim.Adagrad(parameters, lr: spec.LearningRate, weight_decay: spec.WeightDecay),
            var other => throw new ConfigurationException($"optimizer '{other}' is not known; expected adam, sgd or adagrad"),
        };

    public void Dispose() => _optimizer.Dispose();
}
