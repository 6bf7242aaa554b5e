using TorchSharp;
using Untangle.Contracts.Training;
using static TorchSharp.torch;

namespace Untangle.Host.Training;

/// <summary>
/// One optimisation step with the optimizer the engine built for it: zero the gradients, compute the
/// loss, refuse a NaN or infinite loss, back-propagate, clip if asked, update.
/// </summary>
/// <remarks>
/// The step's row-read tables (<see cref="OptimizationStep.Tables"/>) take <c>train.row_updates</c>
/// where the step's optimizer is Adam without clipping (a clipped norm must see the whole gradient)
/// and the tables are CPU float32 (the row kernels work in place on host memory); elsewhere they are
/// dense, which is the same result as deferred. After the backward pass each table's rows and
/// gradient go to Adam, or into the table's dense gradient when the loss also read the table whole.
/// With deferred updates the engine calls <see cref="Settle"/> before anything else reads the tables.
/// </remarks>
internal sealed class StepRunner : IDisposable
{
    private readonly optim.Optimizer _optimizer;
    private readonly IReadOnlyList<RowTable> _rowTables;

    public StepRunner(OptimizationStep step, RowUpdates rowUpdates = RowUpdates.Dense)
    {
        Step = step;
        if (step.Parameters.Count == 0)
            throw new InvalidOperationException($"step '{step.Name}' has no parameters to optimise");
        foreach (var table in step.Tables)
            if (!step.Parameters.Any(p => p.Handle == table.Table.Handle))
                throw new InvalidOperationException($"step '{step.Name}' lists a row table that is not among its parameters");
        bool rows = rowUpdates != RowUpdates.Dense && step.Tables.Count > 0 && step.Optimizer.Kind.Equals("adam", StringComparison.OrdinalIgnoreCase)
            && step.ClipGradNorm is null && step.Tables.All(t => t.Table.device_type == DeviceType.CPU && t.Table.dtype == ScalarType.Float32);
        if (rows && rowUpdates == RowUpdates.Deferred && step.Optimizer.WeightDecay != 0)
            throw new ConfigurationException(
                $"train.row_updates=deferred: step '{step.Name}' uses Adam weight decay {step.Optimizer.WeightDecay}, which moves every row on every step; use train.row_updates=dense or lazy");
        if (rows && rowUpdates == RowUpdates.Deferred && step.Optimizer.Betas.Beta1 >= Math.Sqrt(step.Optimizer.Betas.Beta2))
            throw new ConfigurationException(
                $"train.row_updates=deferred: step '{step.Name}' uses Adam betas ({step.Optimizer.Betas.Beta1}, {step.Optimizer.Betas.Beta2}), whose missed steps never fade (β₁ ≥ √β₂); use train.row_updates=dense or lazy");
        _optimizer = Build(step.Optimizer, step.Parameters, rows ? rowUpdates : RowUpdates.Dense);
        foreach (var table in step.Tables)
        {
            table.Updates = rows ? rowUpdates : RowUpdates.Dense;
            table.BeforeRead = rows && rowUpdates == RowUpdates.Deferred ? index => ((Optimizers.Adam)_optimizer).CatchUp(table.Table, index) : null;
        }
        _rowTables = rows ? step.Tables : [];
    }

    public OptimizationStep Step { get; }

    public double Run(TrainingBatch batch, Action<string, double> record)
    {
        _optimizer.zero_grad();
        foreach (var table in _rowTables) table.Clear();
        var loss = Step.Loss(new StepContext(batch, record));
        double value = loss.detach().cpu().item<float>();
        if (!double.IsFinite(value))
            throw new NonFiniteLossException(Step.Name, batch.Epoch, batch.Index, value);
        loss.backward();
        foreach (var table in _rowTables)
        {
            if (table.TakeGradient() is not { } rows) continue;
            if (table.Table.grad is { } dense)
            {
                using var index = tensor(rows.Rows);
                using var values = tensor(rows.Values, [rows.Rows.Length, rows.Width]);
                dense.index_add_(0, index, values, HeldScalars.One);
            }
            else ((Optimizers.Adam)_optimizer).SetRowGradient(table.Table, rows);
        }
        if (Step.ClipGradNorm is double clip)
            nn.utils.clip_grad_norm_(Step.Parameters, clip);
        _optimizer.step();
        return value;
    }

    /// <summary>
    /// Brings every row of the step's tables current (deferred updates); the engine calls it before
    /// validation and the stage systems at every epoch's end. Nothing to do otherwise.
    /// </summary>
    public void Settle()
    {
        if (_rowTables.Count > 0) ((Optimizers.Adam)_optimizer).Settle();
    }

    /// <summary>
    /// Saves the optimizer's state (Adam's moments and step counts, SGD's momentum) for a checkpoint,
    /// and beside it (PATH.rows) the row updates' state.
    /// </summary>
    public void SaveState(string path)
    {
        Helper.save_state_dict(path);
        if (_optimizer is Optimizers.Adam adam && _rowTables.Count > 0)
        {
            using var writer = new BinaryWriter(File.Create(RowStepsPath(path)));
            adam.SaveRowSteps(writer);
        }
    }

    /// <summary>Continues from a state saved with <see cref="SaveState"/>.</summary>
    public void LoadState(string path)
    {
        Helper.load_state_dict(path);
        if (_optimizer is Optimizers.Adam adam && _rowTables.Count > 0)
        {
            var rows = RowStepsPath(path);
            if (!File.Exists(rows))
                throw new Checkpoints.CorruptCheckpointException($"checkpoint optimizer state {path} has no {Path.GetFileName(rows)} (the row updates' state); it is not loaded");
            using var reader = new BinaryReader(File.OpenRead(rows));
            adam.LoadRowSteps(reader);
        }
    }

    private static string RowStepsPath(string path) => path + ".rows";

    // Every optimizer StepRunner builds is one of TorchSharp's, which carry their state through OptimizerHelper.
    private TorchSharp.Modules.OptimizerHelper Helper => _optimizer as TorchSharp.Modules.OptimizerHelper
        ?? throw new InvalidOperationException($"step '{Step.Name}': the optimizer {_optimizer.GetType().Name} cannot save its state");

    private static optim.Optimizer Build(OptimizerSpec spec, IReadOnlyList<TorchSharp.Modules.Parameter> parameters, RowUpdates rows) =>
        spec.Kind.ToLowerInvariant() switch
        {
            "adam" => new Optimizers.Adam(parameters, spec.LearningRate, spec.Betas.Beta1, spec.Betas.Beta2, weightDecay: spec.WeightDecay) { RowMode = rows },
            "sgd" => optim.SGD(parameters, spec.LearningRate, weight_decay: spec.WeightDecay),
            "adagrad" => optim.Adagrad(parameters, lr: spec.LearningRate, weight_decay: spec.WeightDecay),
            var other => throw new ConfigurationException($"optimizer '{other}' is not known; expected adam, sgd or adagrad"),
        };

    public void Dispose() => _optimizer.Dispose();
}
