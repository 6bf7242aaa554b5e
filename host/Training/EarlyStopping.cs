using Untangle.Contracts.Evaluation;
using Untangle.Host.Training.Checkpoints;

namespace Untangle.Host.Training;

/// <summary>
/// Model selection on one validation metric: the best value and epoch so far, and how many
/// evaluations have passed without improvement. Training stops when that count reaches the patience
/// (0: never). Its state travels in every checkpoint, so a resumed run stops where the uninterrupted
/// one would have.
/// </summary>
public sealed class EarlyStopping(string metric, bool higherIsBetter, int patience)
{
    public double Best { get; private set; } = double.NaN;
    public int BestEpoch { get; private set; }
    public int SinceBest { get; private set; }
    public IReadOnlyDictionary<string, MetricResult> BestValidation { get; private set; } = new Dictionary<string, MetricResult>();
    public bool ShouldStop => patience > 0 && SinceBest >= patience;

    /// <summary>Takes one evaluation into account; true when it is the best so far.</summary>
    public bool Observe(int epoch, IReadOnlyDictionary<string, MetricResult> validation)
    {
        double value = validation[metric].Mean;
        bool improved = double.IsNaN(Best) || (higherIsBetter ? value > Best : value < Best);
        if (improved)
        {
            Best = value;
            BestEpoch = epoch;
            BestValidation = validation;
            SinceBest = 0;
        }
        else
        {
            SinceBest++;
        }
        return improved;
    }

    public EarlyStoppingState Save() => new(Best, BestEpoch, SinceBest, StoredMetric.From(BestValidation));

    public void Restore(EarlyStoppingState state)
    {
        Best = state.Best;
        BestEpoch = state.BestEpoch;
        SinceBest = state.SinceBest;
        BestValidation = StoredMetric.To(state.BestValidation);
    }
}
