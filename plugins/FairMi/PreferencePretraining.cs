using System.Text.Json;
using Microsoft.Extensions.Logging;
using Untangle.Contracts.Data;
using static TorchSharp.torch;
using Untangle.Contracts.Training;

namespace Untangle.Plugins.FairMi;

/// <summary>
/// FairMI's p (specs/fairmi.md): the frozen embeddings of a plain model of the same backbone, trained
/// separately. The official code loads a converged plain model (<c>--pretrain_path</c>, trained by its
/// baseline script and picked by NDCG@10); Untangle loads one from hyper.p_checkpoint when given
/// (<see cref="PreferenceCheckpoint"/>), and otherwise trains it as an engine phase, before the main
/// training starts, the way the baseline experiment trains its model: BPR with one uniform negative per
/// training pair, Adam, the baseline's L2, up to hyper.p_epochs epochs with the best validation NDCG@20
/// kept and early stopping after hyper.p_patience epochs without improvement (model selection on
/// validation, never on test). The model is then frozen and only its final embeddings are kept.
/// </summary>
/// <remarks>
/// The engine phase "preference" rather than main-loop steps, because p must be finished before the
/// first main batch and never change afterwards. Its validation and early stopping are the method's
/// (an AfterEpoch system and <see cref="TrainingPhase.StopAfter"/>), with the best epoch's state kept
/// in a module copy the phase checkpoints, so a resumed run restores p instead of training it again.
/// </remarks>
public static class PreferencePretraining
{
    public const int ValidationK = 20;

    /// <summary>RegOnFinal: the L2 on the final rows, as the official baseline scripts (see <see cref="InterestBackbone.BprTerms"/>).</summary>
    public sealed record Options(int Epochs, int Patience, int BatchSize, double LearningRate, double RegWeight, bool RegOnFinal = false);

    public static (Tensor Users, Tensor Items) Fit(
        InterestBackbone model, Split split, Options options, Random random, Device device, ILogger logger, Func<TrainingPhase, PhaseOutcome> runPhase)
    {
        var train = split.Train;
        var pairs = new (int User, int Item)[train.Count];
        for (int u = 0, k = 0; u < train.Rows; u++)
            foreach (var i in train.Row(u)) pairs[k++] = (u, i);
        var (users, positives, negatives) = (new long[pairs.Length], new long[pairs.Length], new long[pairs.Length]);
        bool validate = split.Validation.Count > 0 && options.Patience >= 0;
        var stopping = new Stopping();
        using var best = new ModuleStateCopy(model.Module);

        var outcome = runPhase(new TrainingPhase
        {
            Name = PhaseName,
            Epochs = options.Epochs,
            Batches = _ =>
            {
                // The epoch's order and all its negatives, drawn in the order the batches use them.
                random.Shuffle(pairs);
                for (int k = 0; k < pairs.Length; k++)
                {
                    (users[k], positives[k]) = (pairs[k].User, pairs[k].Item);
                    negatives[k] = UniformNegative(train, pairs[k].User, random);
                }
                var batches = new List<long[]>();
                for (int start = 0; start < pairs.Length; start += options.BatchSize)
                    batches.Add(Enumerable.Range(start, Math.Min(options.BatchSize, pairs.Length - start)).Select(i => (long)i).ToArray());
                return batches;
            },
            Steps =
            [
                new OptimizationStep
                {
                    Name = PhaseName,
                    Parameters = model.Parameters,
                    // MF's tables are read by row only; the validation system reads them after the epoch's settle.
                    Tables = model.Tables,
                    Optimizer = OptimizerSpec.Adam(options.LearningRate),
                    Loss = step =>
                    {
                        int start = step.Batch.Index * options.BatchSize, n = Math.Min(options.BatchSize, pairs.Length - start);
                        var (bpr, l2, _, _) = model.BprTerms(
                            tensor(users.AsSpan(start, n).ToArray()).to(device), tensor(positives.AsSpan(start, n).ToArray()).to(device),
                            tensor(negatives.AsSpan(start, n).ToArray()).to(device), options.RegWeight, options.RegOnFinal);
                        return bpr.Plus(l2);
                    },
                },
            ],
            Systems = validate
                ? [new StageSystem("fairmi-p-validation", Stage.AfterEpoch, context => stopping.Observe(context.Epoch, model, best, split, options.Patience))]
                : [],
            StopAfter = _ => stopping.Stop,
            Modules = new Dictionary<string, nn.Module> { ["preference"] = model.Module, ["preference.best"] = best },
            // The pair order is shuffled in place epoch after epoch; early stopping's state decides where the phase ends.
            States =
            [
                new CheckpointedState("preference-pairs", () => JsonSerializer.Serialize(pairs.SelectMany(p => new[] { p.User, p.Item })),
                    text =>
                    {
                        var flat = JsonSerializer.Deserialize<int[]>(text);
                        if (flat is null || flat.Length != 2 * pairs.Length) throw new InvalidDataException($"preference-pairs: {flat?.Length / 2} pairs saved, {pairs.Length} in this split");
                        for (int k = 0; k < pairs.Length; k++) pairs[k] = (flat[2 * k], flat[2 * k + 1]);
                    }),
                new CheckpointedState("preference-stopping", () => JsonSerializer.Serialize(stopping, Json),
                    text => stopping = JsonSerializer.Deserialize<Stopping>(text, Json) ?? throw new InvalidDataException("preference-stopping: empty")),
            ],
            LogEvery = Math.Max(1, options.Epochs / 10),
        });
        if (stopping.BestEpoch > 0) best.CopyTo(model.Module);
        logger.LogInformation(
            "FairMI preference model p: {Epochs} epochs, last BPR loss {Loss:F4}, best validation ndcg@{K} {Best:F5} at epoch {BestEpoch}",
            outcome.Epochs, outcome.LastEpoch.GetValueOrDefault(PhaseName, double.NaN), ValidationK, stopping.Best, stopping.BestEpoch);
        return Freeze(model);
    }

    public const string PhaseName = "preference";

    // The best NDCG starts at −∞.
    private static readonly JsonSerializerOptions Json = new() { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };

    /// <summary>Early stopping of p on validation NDCG@20 (a phase state: a resumed phase stops where this one would).</summary>
    private sealed class Stopping
    {
        public double Best { get; set; } = double.NegativeInfinity;
        public int BestEpoch { get; set; }
        public bool Stop { get; set; }

        public void Observe(int epoch, InterestBackbone model, ModuleStateCopy best, Split split, int patience)
        {
            model.Module.eval();
            double ndcg;
            using (no_grad())
            {
                var (u, i) = model.ScoringTables();
                ndcg = TopLists.MeanNdcg(TopLists.Of(u, i, split.Validation, ValidationK), split.Validation, ValidationK);
            }
            if (ndcg > Best)
            {
                (Best, BestEpoch) = (ndcg, epoch);
                best.CopyFrom(model.Module);
            }
            else if (epoch - BestEpoch >= patience) Stop = true;
        }
    }

    /// <summary>The final embeddings of <paramref name="model"/> as detached copies; its parameters stop requiring gradients.</summary>
    public static (Tensor Users, Tensor Items) Freeze(InterestBackbone model)
    {
        model.Module.eval();
        using var noGrad = no_grad();
        var (allUsers, allItems) = model.Final();
        var result = (allUsers.detach().clone().DetachFromDisposeScope(), allItems.detach().clone().DetachFromDisposeScope());
        foreach (var p in model.Parameters) p.requires_grad = false;
        return result;
    }

    /// <summary>A uniformly drawn item the user has not interacted with in training (FairMI's negative sampling).</summary>
    public static int UniformNegative(Interactions train, int user, Random random)
    {
        if (train.RowLength(user) >= train.ColumnCount)
            throw new InvalidOperationException($"user {user} has interacted with every item; no negative can be sampled");
        while (true)
        {
            int j = random.Next(train.ColumnCount);
            if (!train.Contains(user, j)) return j;
        }
    }
}
