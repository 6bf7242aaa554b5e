using Microsoft.Extensions.Logging;
using TorchSharp;
using TorchSharp.Modules;
using Untangle.Contracts.Components;
using static TorchSharp.torch;

namespace Untangle.Plugins.FairMi;

/// <summary>
/// FairMI's sensitive encoder, "SemiGCN" in the official code (specs/fairmi.md, "s"): ego embeddings
/// for users and items propagated by LightGCN over the user–item graph, and a linear head that
/// predicts the users' sensitive label; trained full-batch on cross-entropy, then frozen. Its
/// propagated user and item embeddings are s.
/// </summary>
/// <remarks>
/// Departures: the graph is the Foundation's D^-1/2 A D^-1/2 ("graph" slot, no self loops, where the
/// official SemiGCN adds I), and the initialisation is the Foundation's N(0, 0.1²), not Xavier. Every
/// training user's label is used, as the official code does (the attribute is side information about
/// the users the model serves, not a test target). A multi-class attribute (MovieLens' age bucket)
/// works unchanged: the head has one output per level.
/// </remarks>
public static class SensitiveEncoder
{
    public sealed record Result(Tensor Users, Tensor Items, double TrainAccuracy);

    /// <summary>Trains the encoder and returns s for users and items (detached, on the adjacency's device).</summary>
    public static Result Fit(
        Tensor adjacency, IGraphEncoder propagation, int users, int items, int size, int[] labels, int classes,
        int epochs, double learningRate, Random random, ILogger logger)
    {
        if (labels.Length != users)
            throw new ArgumentException($"the sensitive encoder needs one label per user; got {labels.Length} labels for {users} users");
        var device = adjacency.device;
        using var generator = new torch.Generator((ulong)random.NextInt64(), CPU);
        Parameter Draw(long rows, long cols, double std)
        {
            using var d = randn([rows, cols], generator: generator);
            using var scaled = d.mul(std);
            using var placed = scaled.to(device);
            var p = new Parameter(placed);
            p.DetachFromDisposeScope();
            return p;
        }
        using var ego = Draw(users + items, size, 0.1);
        using var weight = Draw(size, classes, 1 / Math.Sqrt(size));
        using var bias = Draw(1, classes, 0);
        using var target = tensor(labels.Select(l => (long)l).ToArray()).to(device);
        using (var optimizer = optim.Adam([ego, weight, bias], learningRate))
        {
            for (int epoch = 0; epoch < epochs; epoch++)
            {
                using var scope = NewDisposeScope();
                optimizer.zero_grad();
                var logits = propagation.Propagate(adjacency, ego).narrow(0, 0, users).mm(weight).Plus(bias); // no temporary Scalar (StableScalar)
                var loss = nn.functional.cross_entropy(logits, target);
                loss.backward();
                optimizer.step();
            }
        }
        using var noGrad = no_grad();
        using var final = propagation.Propagate(adjacency, ego);
        var s = final.split([users, items]);
        using var predicted = s[0].mm(weight).Plus(bias).argmax(1);
        double accuracy = predicted.eq(target).to(float64).mean().item<double>();
        logger.LogInformation("FairMI sensitive encoder: {Epochs} epochs, training accuracy {Accuracy:F3} over {Classes} classes", epochs, accuracy, classes);
        return new Result(s[0].detach().DetachFromDisposeScope(), s[1].detach().DetachFromDisposeScope(), accuracy);
    }
}
