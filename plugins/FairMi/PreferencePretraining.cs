using Microsoft.Extensions.Logging;
using Untangle.Contracts.Data;
using static TorchSharp.torch;
using Untangle.Contracts.Training;

namespace Untangle.Plugins.FairMi;

/// <summary>
/// FairMI's p (specs/fairmi.md): the frozen embeddings of a plain model of the same backbone, trained
/// separately. The official code loads a converged plain model (<c>--pretrain_path</c>, trained by its
/// baseline script and picked by NDCG@10); Untangle loads one from hyper.p_checkpoint when given
/// (<see cref="PreferenceCheckpoint"/>), and otherwise trains it inside Build, before the main
/// training starts, the way the baseline experiment trains its model: BPR with one uniform negative per
/// training pair, Adam, the baseline's L2, up to hyper.p_epochs epochs with the best validation NDCG@20
/// kept and early stopping after hyper.p_patience epochs without improvement (model selection on
/// validation, never on test). The model is then frozen and only its final embeddings are kept.
/// </summary>
/// <remarks>
/// A pretraining phase inside Build rather than an engine step, because p must be finished before
/// the first main batch and never change afterwards; a PerEpoch step could not express "only before
/// epoch 1".
/// </remarks>
public static class PreferencePretraining
{
    public const int ValidationK = 20;

    public sealed record Options(int Epochs, int Patience, int BatchSize, double LearningRate, double RegWeight);

    public static (Tensor Users, Tensor Items) Fit(
        InterestBackbone model, Split split, Options options, Random random, Device device, ILogger logger)
    {
        var train = split.Train;
        var pairs = new (int User, int Item)[train.Count];
        for (int u = 0, k = 0; u < train.Rows; u++)
            foreach (var i in train.Row(u)) pairs[k++] = (u, i);
        double lastLoss = double.NaN, best = double.NegativeInfinity;
        int bestEpoch = 0, epoch = 0;
        Dictionary<string, Tensor>? bestState = null;
        bool validate = split.Validation.Count > 0 && options.Patience >= 0;
        using (var optimizer = optim.Adam(model.Parameters, options.LearningRate))
        {
            for (epoch = 1; epoch <= options.Epochs; epoch++)
            {
                model.Module.train();
                random.Shuffle(pairs);
                double sum = 0;
                int batches = 0;
                for (int start = 0; start < pairs.Length; start += options.BatchSize)
                {
                    using var scope = NewDisposeScope();
                    int n = Math.Min(options.BatchSize, pairs.Length - start);
                    var users = new long[n];
                    var positives = new long[n];
                    var negatives = new long[n];
                    for (int b = 0; b < n; b++)
                    {
                        var (u, i) = pairs[start + b];
                        users[b] = u;
                        positives[b] = i;
                        negatives[b] = UniformNegative(train, u, random);
                    }
                    optimizer.zero_grad();
                    var (bpr, l2, _, _) = model.BprTerms(tensor(users).to(device), tensor(positives).to(device), tensor(negatives).to(device), options.RegWeight);
                    var loss = bpr.Plus(l2);
                    loss.backward();
                    optimizer.step();
                    sum += loss.item<float>();
                    batches++;
                }
                lastLoss = sum / Math.Max(1, batches);
                if (!validate) continue;

                model.Module.eval();
                double ndcg;
                using (no_grad())
                {
                    var (u, i) = model.ScoringTables();
                    ndcg = TopLists.MeanNdcg(TopLists.Of(u, i, split.Validation, ValidationK), split.Validation, ValidationK);
                }
                if (ndcg > best)
                {
                    (best, bestEpoch) = (ndcg, epoch);
                    DisposeState(bestState);
                    bestState = model.Module.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone().DetachFromDisposeScope());
                }
                else if (epoch - bestEpoch >= options.Patience) break;
            }
        }
        if (bestState is not null)
        {
            model.Module.load_state_dict(bestState);
            DisposeState(bestState);
        }
        logger.LogInformation(
            "FairMI preference model p: {Epochs} epochs, last BPR loss {Loss:F4}, best validation ndcg@{K} {Best:F5} at epoch {BestEpoch}",
            Math.Min(epoch, options.Epochs), lastLoss, ValidationK, best, bestEpoch);
        return Freeze(model);
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

    private static void DisposeState(Dictionary<string, Tensor>? state)
    {
        if (state is null) return;
        foreach (var t in state.Values) t.Dispose();
    }
}
