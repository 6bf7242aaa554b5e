using Microsoft.Extensions.Logging;
using TorchSharp;
using Untangle.Contracts.Components;
using Untangle.Plugins.InfoBounds;
using static TorchSharp.torch;

namespace Untangle.Plugins.Dcid;

/// <summary>
/// DCID's representation phase, run inside Build before the recommender trains (as FairMI's
/// preference pretraining): epochs of shuffled item batches; per batch one step on
/// <see cref="DcidObjective"/> (Adam at hyper.pretrain_learning_rate, gradient norm clipped at 0.5; the encoders and decoders
/// only), the codebook's MM-EMA update and dead-code reset, then CLUB's q networks fitted on the
/// batch's detached commons and specifics (k Adam steps at 1e-3, "5/batch"; or n steps on all items
/// at the start of each epoch, "n/epoch"): CLUB's Algorithm 1 and the official training loop.
/// </summary>
/// <remarks>
/// <para>This is a phase inside Build, not engine steps, because the representation must be finished
/// before the recommender's first batch and the engine's validation (a ranking metric) cannot select
/// it; it trains for a fixed number of epochs, as the paper pretrains before its downstream tasks. The
/// q fits mirror InfoBounds' <see cref="EstimatorTraining"/>: inputs recomputed under no_grad after the
/// main update, <see cref="IMutualInformationEstimator.LearningLoss(TorchSharp.torch.Tensor, TorchSharp.torch.Tensor)"/> on detached values.</para>
/// <para>Batches of fewer than two items are skipped (in-batch negatives need two rows).</para>
/// </remarks>
public static class DcidPretraining
{
    /// <summary>Trains <paramref name="objective"/>'s model on <paramref name="features"/> (items × F_m, split order) and returns the last epoch's mean terms.</summary>
    public static IReadOnlyDictionary<string, double> Run(
        DcidObjective objective, IReadOnlyList<Tensor> features, IReadOnlyList<IMutualInformationEstimator>? clubs,
        DcidHyperParameters hyper, Random random, ILogger logger)
    {
        var model = objective.Model;
        long items = features[0].shape[0];
        var device = features[0].device;
        var means = new Dictionary<string, double>();
        if (hyper.PretrainEpochs == 0) return means;

        var qParameters = clubs?.SelectMany(c => c.Module?.parameters().Where(p => p.requires_grad) ?? []).ToList() ?? [];
        using var main = optim.Adam(model.parameters(), lr: hyper.PretrainLearningRate);
        using var fit = qParameters.Count > 0 ? optim.Adam(qParameters, lr: hyper.ClubLearningRate) : null;
        var order = Enumerable.Range(0, (int)items).Select(i => (long)i).ToArray();
        model.train();
        for (int epoch = 1; epoch <= hyper.PretrainEpochs; epoch++)
        {
            var sums = new Dictionary<string, double>();
            int batches = 0;
            if (fit is not null && hyper.ClubSchedule.Cadence == EstimatorCadence.PerEpoch)
                for (int t = 0; t < hyper.ClubSchedule.Steps; t++)
                    FitClubs(fit, clubs!, model, features);

            random.Shuffle(order);
            for (int start = 0; start < order.Length; start += hyper.PretrainBatchSize)
            {
                int n = Math.Min(hyper.PretrainBatchSize, order.Length - start);
                if (n < 2) continue;
                using var scope = NewDisposeScope();
                var index = tensor(order.AsSpan(start, n).ToArray(), device: device);
                var inputs = features.Select(f => f.index_select(0, index)).ToArray();

                main.zero_grad();
                var (loss, pass, terms) = objective.Compute(inputs, training: true);
                double value = loss.item<float>();
                if (!double.IsFinite(value))
                    throw new InvalidOperationException($"dcid: the representation loss is {value} at pretraining epoch {epoch}; lower hyper.pretrain_learning_rate or check the item features for NaN");
                loss.backward();
                nn.utils.clip_grad_norm_(model.parameters(), hyper.ClipGradNorm);
                main.step();
                if (model.Codebook is { } codebook)
                    codebook.Update(pass.Commons, pass.Codes!, random);

                if (fit is not null && hyper.ClubSchedule.Cadence == EstimatorCadence.PerBatch)
                    for (int t = 0; t < hyper.ClubSchedule.Steps; t++)
                        sums["club_fit"] = sums.GetValueOrDefault("club_fit") + FitClubs(fit, clubs!, model, inputs) / hyper.ClubSchedule.Steps;

                sums["loss"] = sums.GetValueOrDefault("loss") + value;
                foreach (var (k, v) in terms) sums[k] = sums.GetValueOrDefault(k) + v.detach().cpu().item<float>();
                batches++;
            }
            means = sums.ToDictionary(kv => kv.Key, kv => kv.Value / Math.Max(1, batches));
            if (epoch == 1 || epoch % 25 == 0 || epoch == hyper.PretrainEpochs)
                logger.LogInformation("dcid pretraining epoch {Epoch}/{Epochs}: {Terms}{Resets}", epoch, hyper.PretrainEpochs,
                    string.Join(", ", means.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key} {kv.Value:F4}")),
                    model.Codebook is { } c ? $", code resets {c.Resets}" : "");
        }
        return means;
    }

    /// <summary>One Adam step of every modality's q network on its detached (commons, specifics); returns the summed q loss.</summary>
    private static double FitClubs(optim.Optimizer fit, IReadOnlyList<IMutualInformationEstimator> clubs, DcidModel model, IReadOnlyList<Tensor> inputs)
    {
        using var scope = NewDisposeScope();
        var pairs = new (Tensor Common, Tensor Specific)[model.Count];
        using (no_grad())
        {
            for (int m = 0; m < model.Count; m++)
                pairs[m] = (model.Parts(m).Common(inputs[m]), model.Parts(m).Specific(inputs[m]));
        }
        fit.zero_grad();
        Tensor total = zeros(1, device: inputs[0].device).squeeze();
        for (int m = 0; m < model.Count; m++)
            if (clubs[m].LearningLoss(pairs[m].Common.detach(), pairs[m].Specific.detach()) is { } q)
                total = total + q;
        double value = total.item<float>();
        if (!total.requires_grad) return value;
        total.backward();
        fit.step();
        return value;
    }
}
