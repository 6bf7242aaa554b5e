using TorchSharp;
using Untangle.Contracts.Data;
using static TorchSharp.torch;

namespace Untangle.Contracts.Components;

/// <summary>An encoder: a TorchSharp module mapping inputs to representations.</summary>
public interface IEncoder : IDisposable
{
    /// <summary>The module that owns the encoder's parameters (checkpointed under the slot name).</summary>
    nn.Module Module { get; }
}

/// <summary>An encoder over user rows (a batch × items matrix, dense or sparse).</summary>
public interface IRowEncoder : IEncoder
{
    Tensor Encode(Tensor rows);
}

/// <summary>An encoder that propagates embeddings over a (sparse, normalised) graph, as LightGCN.</summary>
public interface IGraphEncoder : IEncoder
{
    Tensor Propagate(Tensor adjacency, Tensor embeddings);
}

public interface IEncoderFactory : IComponentFactory<IEncoder>;

/// <summary>Which side of the true mutual information an estimator's value lies on.</summary>
public enum InformationBound { Lower, Upper, Estimate }

/// <summary>
/// A mutual-information estimator in nats. It may own a variational network (CLUB's q(y|x)) that
/// trains in its own optimisation step on <see cref="LearningLoss(TorchSharp.torch.Tensor, TorchSharp.torch.Tensor)"/>.
/// </summary>
public interface IMutualInformationEstimator : IDisposable
{
    InformationBound Bound { get; }
    /// <summary>The estimate as a differentiable scalar; <paramref name="condition"/> is for conditional estimators.</summary>
    Tensor Estimate(Tensor x, Tensor y, Tensor? condition = null);
    /// <summary>The loss that fits the estimator's own network (null when it has none).</summary>
    Tensor? LearningLoss(Tensor x, Tensor y);
    /// <summary>The same for a conditional estimator, given the condition its estimate saw; by default the condition is not needed.</summary>
    Tensor? LearningLoss(Tensor x, Tensor y, Tensor? condition) => LearningLoss(x, y);
    /// <summary>The estimator's own module (null when it has no parameters).</summary>
    nn.Module? Module { get; }
}

public interface IMutualInformationEstimatorFactory : IComponentFactory<IMutualInformationEstimator>;

/// <summary>A critic over rows: its own loss and the generator-side loss.</summary>
public interface IDiscriminator : IDisposable
{
    nn.Module Module { get; }
    Tensor Score(Tensor rows);
    Tensor CriticLoss(Tensor real, Tensor fake);
    Tensor GeneratorLoss(Tensor fake);
}

public interface IDiscriminatorFactory : IComponentFactory<IDiscriminator>;

/// <summary>What a graph builder builds from: interactions, or learned scores/features.</summary>
public sealed class GraphInput
{
    public Interactions? Interactions { get; init; }
    public Tensor? Features { get; init; }
    public int? TopK { get; init; }
    public required Device Device { get; init; }
}

/// <summary>Builds a sparse, normalised adjacency as a TorchSharp sparse tensor.</summary>
public interface IGraphBuilder
{
    Tensor Build(GraphInput input);
}

public interface IGraphBuilderFactory : IComponentFactory<IGraphBuilder>;
