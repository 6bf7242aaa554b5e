using Microsoft.Extensions.Logging;
using TorchSharp;
using TorchSharp.Modules;
using Untangle.Contracts.Components;
using static TorchSharp.torch;
using Untangle.Contracts.Training;

namespace Untangle.Plugins.FairMi;

/// <summary>
/// FairMI's sensitive encoder, "SemiGCN" in the official code (specs/fairmi.md, "s"): ego embeddings
/// for users and items propagated by LightGCN over the user–item graph, and a linear head that
/// predicts the users' sensitive label; trained full-batch on cross-entropy as the engine phase
/// "sensitive" (checkpointed: a resumed run restores it), then frozen. Its propagated user and item
/// embeddings are s.
/// </summary>
/// <remarks>
/// Departure: the graph is the Foundation's D^-1/2 A D^-1/2 ("graph" slot, no self loops, where the
/// official SemiGCN adds I). The initialisation is the official one (Xavier-uniform tables). Every
/// training user's label is used, as the official code does (the attribute is side information about
/// the users the model serves, not a test target). A multi-class attribute (MovieLens' age bucket)
/// works unchanged: the head has one output per level.
/// </remarks>
public static class SensitiveEncoder
{
    public const string PhaseName = "sensitive";

    public sealed record Result(Tensor Users, Tensor Items, double TrainAccuracy);

    /// <summary>SemiGCN's trainable tables as a module, so the phase checkpoints them (keys ego, weight, bias).</summary>
    public sealed class SemiGcn : nn.Module
    {
        private readonly Parameter ego, weight, bias;

        public SemiGcn(Parameter ego, Parameter weight, Parameter bias) : base(nameof(SemiGcn))
        {
            (this.ego, this.weight, this.bias) = (ego, weight, bias);
            RegisterComponents();
        }

        public Parameter Ego => ego;
        public Parameter Weight => weight;
        public Parameter Bias => bias;
    }

    /// <summary>
    /// Trains the encoder as the engine phase "sensitive" (<paramref name="runPhase"/>: full-batch epochs,
    /// one Adam step each) and returns s for users and items (detached, on the adjacency's device).
    /// </summary>
    public static Result Fit(
        Tensor adjacency, IGraphEncoder propagation, int users, int items, int size, int[] labels, int classes,
        int epochs, double learningRate, Random random, ILogger logger, Func<TrainingPhase, PhaseOutcome> runPhase)
    {
        if (labels.Length != users)
            throw new ArgumentException($"the sensitive encoder needs one label per user; got {labels.Length} labels for {users} users");
        var device = adjacency.device;
        using var generator = new torch.Generator((ulong)random.NextInt64(), CPU);
        // U(−bound, bound) from the local generator, kept out of any dispose scope.
        Tensor Uniform(long rows, long cols, double bound)
        {
            using var u = rand([rows, cols], generator: generator);
            using var scale = StableScalar.Hold(2 * bound);
            using var shift = StableScalar.Hold(bound);
            return u.mul(scale).sub(shift);
        }
        Parameter Draw(Tensor value)
        {
            using (value)
            using (var placed = value.to(device))
            {
                var p = new Parameter(placed);
                p.DetachFromDisposeScope();
                return p;
            }
        }
        // The official SemiGCN's initialisation: Xavier-uniform user and item tables (a table of n rows
        // and d columns: bound √(6 / (n + d))) and nn.Linear's U(±1/√d) head. The scale matters: s
        // enters z + 0.1·s in the lower bound and sets the size of the CLUB bound.
        var ego = Draw(cat([Uniform(users, size, Math.Sqrt(6.0 / (users + size))), Uniform(items, size, Math.Sqrt(6.0 / (items + size)))], 0));
        var weight = Draw(Uniform(size, classes, 1 / Math.Sqrt(size)));
        var bias = Draw(Uniform(1, classes, 1 / Math.Sqrt(size)));
        using var semiGcn = new SemiGcn(ego, weight, bias);
        using var target = tensor(labels.Select(l => (long)l).ToArray()).to(device);
        runPhase(new TrainingPhase
        {
            Name = PhaseName,
            Epochs = epochs,
            Batches = _ => [[]], // full batch: one step per epoch on every user
            Steps =
            [
                new OptimizationStep
                {
                    Name = PhaseName,
                    Parameters = [ego, weight, bias],
                    Optimizer = OptimizerSpec.Adam(learningRate),
                    Loss = _ =>
                    {
                        var logits = propagation.Propagate(adjacency, ego).narrow(0, 0, users).mm(weight).Plus(bias); // no temporary Scalar (StableScalar)
                        return nn.functional.cross_entropy(logits, target);
                    },
                },
            ],
            Modules = new Dictionary<string, nn.Module> { ["semigcn"] = semiGcn },
            LogEvery = Math.Max(1, epochs),
        });
        using var noGrad = no_grad();
        using var final = propagation.Propagate(adjacency, ego);
        var s = final.split([users, items]);
        using var predicted = s[0].mm(weight).Plus(bias).argmax(1);
        double accuracy = predicted.eq(target).to(float64).mean().item<double>();
        logger.LogInformation("FairMI sensitive encoder: {Epochs} epochs, training accuracy {Accuracy:F3} over {Classes} classes", epochs, accuracy, classes);
        return new Result(s[0].detach().DetachFromDisposeScope(), s[1].detach().DetachFromDisposeScope(), accuracy);
    }
}
