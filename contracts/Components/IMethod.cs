using Untangle.Contracts.Settings;
using Untangle.Contracts.Training;

namespace Untangle.Contracts.Components;

/// <summary>How the engine batches training data for a method.</summary>
public enum BatchKind
{
    /// <summary>Batches of users with their training rows (VAE-style).</summary>
    UserRows,
    /// <summary>(user, positive, negative) triples; negatives sampled outside the user's training items.</summary>
    Triples,
    /// <summary>One step over the whole graph per batch; no data batching.</summary>
    FullGraph,
    /// <summary>A <see cref="Untangle.Contracts.Training.TrainingPhase"/>'s batch of row indices the method drew (not a kind a method declares for its main loop).</summary>
    Phase,
}

/// <summary>
/// Who trains a component that brings a network of its own (CLUB's q, a learned critic, a
/// discriminator, an encoder with weights). The engine checks the promise: the resolver refuses a
/// component that learns in a slot that cannot train it, and after Build every trainable parameter of
/// a <see cref="Method"/> slot's component must be in one of the method's steps (or frozen).
/// </summary>
public enum SlotTraining
{
    /// <summary>
    /// The engine fits the component's own network: after every step (or phase step) whose loss called
    /// the estimator, hyper.&lt;slot&gt;.fit_steps Adam steps (hyper.&lt;slot&gt;.fit_learning_rate) on
    /// the estimator's LearningLoss
    /// over the detached inputs of those calls; its module is checkpointed. Mutual-information estimator
    /// slots only, and their default.
    /// </summary>
    Engine,
    /// <summary>The method trains the component in its own steps or phases (or freezes it). The default for encoders, discriminators and graph builders.</summary>
    Method,
    /// <summary>The slot takes only components without trainable parameters; the resolver refuses others before training.</summary>
    None,
}

/// <summary>A slot a method fills with a component: the kind it needs and the default component's name.</summary>
public sealed record Slot(string Name, ComponentKind Kind, string DefaultComponent, string Doc)
{
    /// <summary>Who trains a component with parameters in this slot; null: <see cref="SlotTraining.Engine"/> for estimators, <see cref="SlotTraining.Method"/> otherwise.</summary>
    public SlotTraining? Training { get; init; }

    /// <summary>The training this slot promises (<see cref="Training"/> or the kind's default).</summary>
    public SlotTraining TrainedBy => Training ?? (Kind == ComponentKind.MutualInformationEstimator ? SlotTraining.Engine : SlotTraining.Method);
}

/// <summary>What a method declares before anything is built.</summary>
public sealed record MethodDeclaration
{
    public required BatchKind BatchKind { get; init; }
    public IReadOnlyList<Slot> Slots { get; init; } = [];
    public IReadOnlyList<SettingSpec> HyperParameters { get; init; } = [];
    /// <summary>True when the scorer can score a user from a fold-in history alone (needed for held-out users).</summary>
    public bool FoldsInUsers { get; init; }
}

/// <summary>
/// A paper's recipe. Stateless: <see cref="Declare"/> says what it needs, <see cref="Build"/> makes
/// one run's model, optimisation steps, systems and scorer.
/// </summary>
public interface IMethod
{
    MethodDeclaration Declare();
    TrainingGraph Build(MethodContext context);
}
