using Microsoft.Extensions.Logging;
using Untangle.Contracts.Components;
using Untangle.Plugins.InfoBounds;
using static TorchSharp.torch;

namespace Untangle.Plugins.Pamd;

/// <summary>
/// PAMD's first phase (official <c>Train</c>): the encoders and cross-modal decoders trained on the
/// items alone, Adam (1e-3, weight decay 1e-5), batches of 100 items in a fresh random order each epoch,
/// for hyper.pretrain_epochs epochs. A separation estimator with a network of its own (CLUB in the
/// "separation" slot) is fitted on the detached specifics on hyper.separation_schedule, after each main
/// step ("k/batch", CLUB's Algorithm 1) or at the start of each epoch on every item ("n/epoch").
/// </summary>
/// <remarks>
/// Like FairMI's pretraining of p, this runs inside Build, before the engine's first batch, because the
/// recommender must start from the finished encoders; the engine's epochs that follow are the
/// recommendation epochs, with its validation-based model selection. Pretraining uses no interactions,
/// so it sees nothing of the validation or test sets. The official code pretrains 1000 epochs and
/// loads the model of epoch 90 (its <c>--th</c>); the epoch count is a hyper-parameter here.
/// </remarks>
public static class ItemPretraining
{
    /// <summary>Trains in place; returns the last epoch's mean of each loss term.</summary>
    public static IReadOnlyDictionary<string, double> Fit(
        PretrainingObjective objective, DisentangledEncoders encoders, CrossModalDecoders decoders,
        IMutualInformationEstimator? separation, ItemModalities items, PamdHyperParameters hyper,
        Random random, ILogger logger)
    {
        var summary = new Dictionary<string, double>();
        if (hyper.PretrainEpochs == 0) return summary;

        encoders.train();
        decoders.train();
        var parameters = encoders.parameters().Concat(decoders.parameters()).ToList();
        using var optimizer = optim.Adam(parameters, lr: hyper.PretrainLearningRate, weight_decay: hyper.WeightDecay);
        var estimatorParameters = separation?.Module?.parameters().Where(p => p.requires_grad).ToList() ?? [];
        using var estimatorOptimizer = estimatorParameters.Count > 0 ? optim.Adam(estimatorParameters, lr: hyper.EstimatorLearningRate) : null;
        separation?.Module?.train();

        int count = items.ItemCount;
        var order = Enumerable.Range(0, count).ToArray();
        int logEvery = Math.Max(1, hyper.PretrainEpochs / 10);
        for (int epoch = 1; epoch <= hyper.PretrainEpochs; epoch++)
        {
            if (estimatorOptimizer is not null && hyper.SeparationSchedule.Cadence == EstimatorCadence.PerEpoch)
                for (int k = 0; k < hyper.SeparationSchedule.Steps; k++)
                    FitEstimator(objective, separation!, estimatorOptimizer, items.V, items.T);

            random.Shuffle(order);
            var sums = new Dictionary<string, double>();
            int batches = 0;
            for (int start = 0; start < count; start += hyper.PretrainBatchSize)
            {
                int n = Math.Min(hyper.PretrainBatchSize, count - start);
                // A last batch of one item has no pairs for the estimators' in-batch negatives; it joins the next epoch's order.
                if (n < 2 && start > 0) break;
                using var scope = NewDisposeScope();
                var index = tensor(order.AsSpan(start, n).ToArray().Select(i => (long)i).ToArray()).to(items.V.device);
                var v = items.V.index_select(0, index);
                var t = items.T.index_select(0, index);

                optimizer.zero_grad();
                var loss = objective.Loss(v, t, (name, term) => sums[name] = sums.GetValueOrDefault(name) + term.detach().cpu().item<float>());
                double value = loss.detach().cpu().item<float>();
                if (!double.IsFinite(value))
                    throw new InvalidOperationException($"pamd pretraining: the loss became {value} in epoch {epoch}, batch {batches}; lower hyper.pretrain_learning_rate or the loss weights");
                loss.backward();
                optimizer.step();
                sums["loss"] = sums.GetValueOrDefault("loss") + value;
                batches++;

                if (estimatorOptimizer is not null && hyper.SeparationSchedule.Cadence == EstimatorCadence.PerBatch)
                    for (int k = 0; k < hyper.SeparationSchedule.Steps; k++)
                        FitEstimator(objective, separation!, estimatorOptimizer, v, t);
            }
            summary = sums.ToDictionary(kv => kv.Key, kv => kv.Value / Math.Max(1, batches));
            if (epoch % logEvery == 0 || epoch == hyper.PretrainEpochs)
                logger.LogInformation("pamd pretraining epoch {Epoch}/{Epochs}: {Terms}", epoch, hyper.PretrainEpochs,
                    string.Join(", ", summary.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key} {kv.Value:F4}")));
        }
        return summary;
    }

    /// <summary>One step of the estimator's own loss on detached specifics (CLUB: −log q(s_t | s_v)).</summary>
    private static void FitEstimator(PretrainingObjective objective, IMutualInformationEstimator separation, optim.Optimizer optimizer, Tensor v, Tensor t)
    {
        using var scope = NewDisposeScope();
        Tensor sv, st;
        using (no_grad()) (sv, st) = objective.Specifics(v, t);
        optimizer.zero_grad();
        var loss = separation.LearningLoss(sv.detach(), st.detach())
            ?? throw new InvalidOperationException("the separation estimator has parameters but no learning loss");
        loss.backward();
        optimizer.step();
    }
}
