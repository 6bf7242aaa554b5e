using System.Runtime.InteropServices;
using TorchSharp;
using TorchSharp.Modules;
using Untangle.Contracts.Training;
using static TorchSharp.torch;

namespace Untangle.Host.Training.Optimizers;

/// <summary>
/// Adam (Kingma and Ba, "Adam: A Method for Stochastic Optimization", ICLR 2015, Algorithm 1; weight
/// decay added to the gradient as torch.optim.Adam does), exactly TorchSharp's <see cref="Adam"/> but for
/// how it makes its Scalars, plus row steps for embedding tables read by row (<see cref="RowUpdates"/>).
/// </summary>
/// <remarks>
/// <para>
/// TorchSharp's step turns each double it passes to a tensor op (β₁, 1 − β₁, √(1 − β₂ᵗ), ε, the step
/// size ...) into a temporary Scalar that only a finalizer frees. A finalizer that frees one while a
/// native call still reads it crashes the process ("Unknown scalar type" in THSTensor_mul_scalar_,
/// seen in a bench run). Here each Scalar is created for the step and disposed when the step is done.
/// It is a subclass of TorchSharp's Adam, doing the same operations in the same order on the same
/// state: updates are bit-identical (AdamTests compares them) and checkpoints keep TorchSharp's
/// state format, so runs checkpointed before this change resume unchanged. That is also why the class
/// is called Adam: TorchSharp writes the optimizer's type name into its state and refuses another name
/// on load.
/// </para>
/// <para>
/// Row updates: a table listed in a step's <see cref="OptimizationStep.Tables"/> gets its rows'
/// gradient through <see cref="SetRowGradient"/> instead of a dense gradient, and <see cref="RowSteps"/>
/// updates those rows in place (deferred or lazy, <see cref="RowMode"/>). Once a parameter has row
/// state, a dense gradient for it is a step of every row, so the row state stays true. The row state
/// (lazy step counts; deferred rows' last steps and replay sums) is saved beside TorchSharp's
/// state (<see cref="SaveRowSteps"/>), so a run stopped mid-epoch resumes with the same bits.
/// </para>
/// </remarks>
internal sealed class Adam(IEnumerable<Parameter> parameters, double lr, double beta1, double beta2, double eps = 1e-8, double weightDecay = 0)
    : TorchSharp.Modules.Adam(parameters, lr, beta1, beta2, eps, weightDecay)
{
    private readonly Dictionary<IntPtr, RowGradient> _rowGradients = [];
    private readonly Dictionary<IntPtr, RowSteps> _rowSteps = [];

    /// <summary>How row gradients are applied: <see cref="RowUpdates.Deferred"/> or <see cref="RowUpdates.Lazy"/>.</summary>
    public RowUpdates RowMode { get; init; } = RowUpdates.Deferred;

    /// <summary>The next <see cref="step"/> updates the rows of <paramref name="gradient"/> of <paramref name="parameter"/> (a CPU float32 table).</summary>
    public void SetRowGradient(Parameter parameter, RowGradient gradient) => _rowGradients[parameter.Handle] = gradient;

    public override Tensor step(Func<Tensor>? closure = null)
    {
        try
        {
            return _step<ParamGroup>(group =>
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
                    if (_rowGradients.TryGetValue(param.Handle, out var rows) || _rowSteps.ContainsKey(param.Handle))
                    {
                        if (grad is not null) rows = AllRows(grad);
                        if (rows is not null) RowStep(param, state, rows, options);
                        continue;
                    }
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
        finally
        {
            _rowGradients.Clear();
        }
    }

    /// <summary>One step of <paramref name="param"/>'s rows through its <see cref="RowSteps"/>, made at its first row gradient.</summary>
    private void RowStep(Parameter param, State state, RowGradient rows, Options options)
    {
        if (options.amsgrad!.Value || options.maximize!.Value)
            throw new InvalidOperationException("row updates are plain Adam; amsgrad and maximize are not supported with them");
        if (!_rowSteps.TryGetValue(param.Handle, out var steps))
            _rowSteps[param.Handle] = steps = new RowSteps(RowMode, param.shape[0], param.shape[1], options.beta1!.Value, options.beta2!.Value, state.step);
        state.step += 1;
        steps.Step(new RowTensors(param, state.exp_avg, state.exp_avg_sq), rows, state.step,
            options.LearningRate!.Value, options.eps!.Value, options.weight_decay!.Value);
    }

    /// <summary>Deferred: brings rows <paramref name="index"/> (int64, CPU) of <paramref name="param"/> current before the loss reads them.</summary>
    public void CatchUp(Parameter param, Tensor index)
    {
        if (!_rowSteps.TryGetValue(param.Handle, out var steps)) return; // no row has moved yet
        var group = _parameter_groups.First(g => g.Parameters.Any(p => p.Handle == param.Handle));
        var options = (Options)group.Options;
        var state = (State)_state[param.Handle];
        using var here = index.contiguous();
        steps.CatchUp(new RowTensors(param, state.exp_avg, state.exp_avg_sq), MemoryMarshal.Cast<byte, long>(here.bytes), state.step,
            options.LearningRate!.Value, options.eps!.Value);
    }

    /// <summary>Deferred: brings every row of every table current (before anything outside the steps reads them).</summary>
    public void Settle()
    {
        foreach (var group in _parameter_groups)
        {
            var options = (Options)group.Options;
            foreach (var param in group.Parameters)
            {
                if (!_rowSteps.TryGetValue(param.Handle, out var steps)) continue;
                var state = (State)_state[param.Handle];
                steps.Settle(new RowTensors(param, state.exp_avg, state.exp_avg_sq), state.step, options.LearningRate!.Value, options.eps!.Value);
            }
        }
    }

    /// <summary>Writes each table's row state after TorchSharp's own state.</summary>
    public void SaveRowSteps(BinaryWriter writer)
    {
        var parameters = _parameter_groups.SelectMany(g => g.Parameters).ToList();
        writer.Write(parameters.Count);
        foreach (var p in parameters)
        {
            bool has = _rowSteps.TryGetValue(p.Handle, out var steps);
            writer.Write(has);
            if (has) steps!.Save(writer);
        }
    }

    /// <summary>Reads what <see cref="SaveRowSteps"/> wrote.</summary>
    public void LoadRowSteps(BinaryReader reader)
    {
        var groups = _parameter_groups.SelectMany(g => g.Parameters.Select(p => (Parameter: p, Options: (Options)g.Options))).ToList();
        int count = reader.ReadInt32();
        if (count != groups.Count)
            throw new InvalidDataException($"the row steps are for {count} parameters, this optimizer has {groups.Count}");
        _rowSteps.Clear();
        foreach (var (p, options) in groups)
        {
            if (!reader.ReadBoolean()) continue;
            var steps = new RowSteps(RowMode, p.shape[0], p.shape[1], options.beta1!.Value, options.beta2!.Value, ((State)_state[p.Handle]).step);
            steps.Load(reader);
            _rowSteps[p.Handle] = steps;
        }
    }

    // A dense gradient for a parameter with row state: a step of every row.
    private static RowGradient AllRows(Tensor grad)
    {
        using var here = grad.contiguous();
        long rows = grad.shape[0];
        var index = new long[rows];
        for (long r = 0; r < rows; r++) index[r] = r;
        return new RowGradient(index, MemoryMarshal.Cast<byte, float>(here.bytes).ToArray(), checked((int)grad.shape[1]));
    }
}
