using Untangle.Contracts.Components;
using Untangle.Contracts.Training;
using Untangle.Plugins.InfoBounds;
using static TorchSharp.torch;

namespace Untangle.Plugins.Pamd;

/// <summary>
/// PAMD's first phase (official <c>Train</c>) as an engine <see cref="TrainingPhase"/>: the encoders and
/// cross-modal decoders trained on the items alone, Adam (1e-3, weight decay 1e-5), batches of 100 items
/// in a fresh random order each epoch, for hyper.pretrain_epochs epochs. A separation estimator with a
/// network of its own (CLUB in the "separation" slot) is fitted on the detached specifics on
/// hyper.separation_schedule, after each main step ("k/batch", CLUB's Algorithm 1) or at the start of
/// each epoch on every item ("n/epoch").
/// </summary>
/// <remarks>
/// Like DCID's representation phase, it runs from Build, before the recommender is made, because the
/// recommender starts from the finished encoders; the engine's epochs that follow are the
/// recommendation epochs, with its validation-based model selection. Pretraining uses no interactions,
/// so it sees nothing of the validation or test sets. The official code pretrains 1000 epochs and
/// loads the model of epoch 90 (its <c>--th</c>); the epoch count is a hyper-parameter here. The engine
/// checkpoints the phase, so a resumed run restores it instead of training it again.
/// </remarks>
public static class ItemPretraining
{
    public const string PhaseName = "pretraining", MainStep = "pretrain", EstimatorStep = "separation_fit";

    public static TrainingPhase Phase(
        PretrainingObjective objective, DisentangledEncoders encoders, CrossModalDecoders decoders,
        IMutualInformationEstimator? separation, ItemModalities items, PamdHyperParameters hyper, Random random)
    {
        int count = items.ItemCount;
        var order = Enumerable.Range(0, count).ToArray();
        // The batch's rows of both modalities, selected once per batch: the main step and the estimator's k fits share them.
        (TrainingBatch? Batch, Tensor V, Tensor T) selected = (null, items.V, items.T);
        (Tensor V, Tensor T) Rows(TrainingBatch batch)
        {
            if (!ReferenceEquals(selected.Batch, batch))
                selected = batch.Indices is { } index
                    ? (batch, items.V.index_select(0, index), items.T.index_select(0, index))
                    : (batch, items.V, items.T);
            return (selected.V, selected.T);
        }

        var steps = new List<OptimizationStep>
        {
            new()
            {
                Name = MainStep,
                Parameters = encoders.parameters().Concat(decoders.parameters()).ToList(),
                Optimizer = OptimizerSpec.Adam(hyper.PretrainLearningRate, hyper.WeightDecay),
                Loss = step =>
                {
                    var (v, t) = Rows(step.Batch);
                    return objective.Loss(v, t, (name, term) => step.Record(name, term));
                },
            },
        };
        var estimatorParameters = separation?.Module?.parameters().Where(p => p.requires_grad).ToList() ?? [];
        if (estimatorParameters.Count > 0)
            steps.Add(new OptimizationStep
            {
                Name = EstimatorStep,
                Parameters = estimatorParameters,
                Optimizer = OptimizerSpec.Adam(hyper.EstimatorLearningRate),
                Schedule = hyper.SeparationSchedule.ToSchedule(),
                Loss = step =>
                {
                    // The estimator's own loss on detached specifics (CLUB: −log q(s_t | s_v)).
                    var (v, t) = Rows(step.Batch);
                    Tensor sv, st;
                    using (no_grad()) (sv, st) = objective.Specifics(v, t);
                    return separation!.LearningLoss(sv.detach(), st.detach())
                        ?? throw new InvalidOperationException("the separation estimator has parameters but no learning loss");
                },
            });

        var modules = new Dictionary<string, nn.Module> { ["encoders"] = encoders, ["decoders"] = decoders };
        if (separation?.Module is { } module) modules["slot.separation"] = module;
        return new TrainingPhase
        {
            Name = PhaseName,
            Epochs = hyper.PretrainEpochs,
            // A last batch of one item has no pairs for the estimators' in-batch negatives (kept only when it is all there is).
            Batches = _ => PhaseOrder.ShuffledBatches(order, random, hyper.PretrainBatchSize, minimumRows: Math.Min(2, count)),
            Steps = steps,
            Modules = modules,
            // The item order is shuffled in place epoch after epoch, so it is state a resumed phase needs.
            States = [PhaseOrder.State("item-order", order)],
            LogEvery = Math.Max(1, hyper.PretrainEpochs / 10),
        };
    }

    /// <summary>The last pretraining epoch's mean of each loss term, "loss" for the total (the "pretraining" analysis).</summary>
    public static IReadOnlyDictionary<string, double> Summary(PhaseOutcome outcome) =>
        outcome.LastEpoch.Where(kv => kv.Key != EstimatorStep).ToDictionary(kv => kv.Key == MainStep ? "loss" : kv.Key, kv => kv.Value);
}
