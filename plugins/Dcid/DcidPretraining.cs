using Untangle.Contracts.Components;
using Untangle.Contracts.Training;
using Untangle.Plugins.InfoBounds;
using static TorchSharp.torch;

namespace Untangle.Plugins.Dcid;

/// <summary>
/// DCID's representation phase as an engine <see cref="TrainingPhase"/>, run from Build before the
/// recommender is made: epochs of shuffled item batches; per batch one step on
/// <see cref="DcidObjective"/> (Adam at hyper.pretrain_learning_rate, gradient norm clipped at
/// hyper.clip_grad_norm; the encoders and decoders only), CLUB's q networks fitted on the batch's
/// commons and specifics recomputed after that update (k Adam steps at hyper.club_learning_rate,
/// "5/batch"; or n steps on all items at the start of each epoch, "n/epoch"), then the codebook's
/// MM-EMA update and dead-code reset from the step's pass: CLUB's Algorithm 1 and the official training loop.
/// </summary>
/// <remarks>
/// <para>A phase, not main-loop steps, because the representation must be finished before the
/// recommender's first batch and the engine's validation (a ranking metric) cannot select it; it
/// trains for a fixed number of epochs, as the paper pretrains before its downstream tasks. The engine
/// checkpoints it, so a resumed run restores it rather than training it again.</para>
/// <para>The codebook update runs after the q fits (the official loop: before them). Neither reads what
/// the other writes (q sees the encoders, not the codebook), so the order changes no number.</para>
/// <para>A last batch of one item is skipped (in-batch negatives need two rows).</para>
/// </remarks>
public static class DcidPretraining
{
    public const string PhaseName = "representation";

    public static TrainingPhase Phase(
        DcidObjective objective, IReadOnlyList<Tensor> features, IReadOnlyList<IMutualInformationEstimator>? clubs,
        IReadOnlyDictionary<string, nn.Module> modules, DcidHyperParameters hyper, Random random)
    {
        var model = objective.Model;
        var order = Enumerable.Range(0, (int)features[0].shape[0]).ToArray();
        DcidPass? pass = null;

        // The batch's feature rows, selected once per batch: the representation step and the k q fits after it share them.
        (TrainingBatch? Batch, Tensor[] Rows) selected = (null, []);
        Tensor[] Rows(TrainingBatch batch)
        {
            if (!ReferenceEquals(selected.Batch, batch))
                selected = (batch, batch.Indices is { } index ? features.Select(f => f.index_select(0, index)).ToArray() : [.. features]);
            return selected.Rows;
        }

        var steps = new List<OptimizationStep>
        {
            new()
            {
                Name = PhaseName,
                Parameters = model.parameters().ToList(),
                Optimizer = OptimizerSpec.Adam(hyper.PretrainLearningRate),
                ClipGradNorm = hyper.ClipGradNorm,
                Loss = step =>
                {
                    var (loss, thisPass, terms) = objective.Compute(Rows(step.Batch), training: true);
                    pass = thisPass;
                    foreach (var (name, term) in terms) step.Record(name, term);
                    return loss;
                },
            },
        };
        var qParameters = clubs?.SelectMany(c => c.Module?.parameters().Where(p => p.requires_grad) ?? []).ToList() ?? [];
        if (qParameters.Count > 0)
            steps.Add(new OptimizationStep
            {
                Name = "club_fit",
                Parameters = qParameters,
                Optimizer = OptimizerSpec.Adam(hyper.ClubLearningRate),
                Schedule = hyper.ClubSchedule.ToSchedule(),
                Loss = step => ClubLoss(clubs!, model, Rows(step.Batch)),
            });

        return new TrainingPhase
        {
            Name = PhaseName,
            Epochs = hyper.PretrainEpochs,
            Batches = _ => PhaseOrder.ShuffledBatches(order, random, hyper.PretrainBatchSize, minimumRows: 2),
            Steps = steps,
            Systems =
            [
                new StageSystem("dcid-codebook-update", Stage.AfterBatch, _ =>
                {
                    if (model.Codebook is { } codebook && pass is { } p) codebook.Update(p.Commons, p.Codes!, random);
                    pass = null;
                }),
            ],
            Modules = modules,
            // The item order is shuffled in place epoch after epoch, so it is state a resumed phase needs.
            States = [PhaseOrder.State("item-order", order), .. model.Codebook is { } c ? new[] { c.Bookkeeping("codebook-bookkeeping") } : []],
            LogEvery = 25,
        };
    }

    /// <summary>The summed q losses of every modality on its (commons, specifics), recomputed under no_grad after the main update.</summary>
    private static Tensor ClubLoss(IReadOnlyList<IMutualInformationEstimator> clubs, DcidModel model, IReadOnlyList<Tensor> inputs)
    {
        var pairs = new (Tensor Common, Tensor Specific)[model.Count];
        using (no_grad())
        {
            for (int m = 0; m < model.Count; m++)
                pairs[m] = (model.Parts(m).Common(inputs[m]), model.Parts(m).Specific(inputs[m]));
        }
        Tensor total = zeros(1, device: inputs[0].device).squeeze();
        for (int m = 0; m < model.Count; m++)
            if (clubs[m].LearningLoss(pairs[m].Common.detach(), pairs[m].Specific.detach()) is { } q)
                total = total + q;
        return total;
    }
}
