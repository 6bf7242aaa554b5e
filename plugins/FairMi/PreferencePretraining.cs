using Microsoft.Extensions.Logging;
using Untangle.Contracts.Data;
using static TorchSharp.torch;

namespace Untangle.Plugins.FairMi;

/// <summary>
/// FairMI's p (specs/fairmi.md): the frozen embeddings of a plain model of the same backbone, trained
/// separately. The official code loads them from an earlier run; Untangle trains them inside Build,
/// before the main training starts, so one run needs nothing else: BPR with one uniform negative per
/// training pair, Adam, for hyper.p_epochs epochs over the same training matrix. The model is then
/// frozen and only its final embeddings are kept.
/// </summary>
/// <remarks>
/// This is a pretraining phase inside Build rather than an engine step, because p must be finished
/// before the first main batch and never change afterwards; a PerEpoch step could not express "only
/// before epoch 1". The engine's validation-based model selection does not apply to it: p trains for a
/// fixed number of epochs (the official code takes a converged plain model).
/// </remarks>
public static class PreferencePretraining
{
    public static (Tensor Users, Tensor Items) Fit(
        InterestBackbone model, Interactions train, int epochs, int batchSize, double learningRate, double regWeight,
        Random random, Device device, ILogger logger)
    {
        var pairs = new (int User, int Item)[train.Count];
        for (int u = 0, k = 0; u < train.Rows; u++)
            foreach (var i in train.Row(u)) pairs[k++] = (u, i);
        double lastLoss = double.NaN;
        using (var optimizer = optim.Adam(model.Parameters, learningRate))
        {
            for (int epoch = 0; epoch < epochs; epoch++)
            {
                random.Shuffle(pairs);
                double sum = 0;
                int batches = 0;
                for (int start = 0; start < pairs.Length; start += batchSize)
                {
                    using var scope = NewDisposeScope();
                    int n = Math.Min(batchSize, pairs.Length - start);
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
                    var (bpr, l2, _, _) = model.BprTerms(tensor(users).to(device), tensor(positives).to(device), tensor(negatives).to(device), regWeight);
                    var loss = bpr + l2;
                    loss.backward();
                    optimizer.step();
                    sum += loss.item<float>();
                    batches++;
                }
                lastLoss = sum / Math.Max(1, batches);
            }
        }
        logger.LogInformation("FairMI preference model p: {Epochs} epochs, last BPR loss {Loss:F4}", epochs, lastLoss);
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
