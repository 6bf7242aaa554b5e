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
}

/// <summary>A slot a method fills with a component: the kind it needs and the default component's name.</summary>
public sealed record Slot(string Name, ComponentKind Kind, string DefaultComponent, string Doc);

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
