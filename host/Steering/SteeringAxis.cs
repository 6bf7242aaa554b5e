namespace Untangle.Host.Steering;

/// <summary>Where an axis comes from.</summary>
internal enum AxisKind
{
    /// <summary>Fitted: the GLM from the users' codes to an item attribute's share in their history.</summary>
    Fitted,
    /// <summary>The method's own (MacridVAE's concept directions).</summary>
    Native,
    /// <summary>One coordinate of the code (a micro dimension; "micro:BLOCK.J" or "micro:J").</summary>
    Micro,
}

/// <summary>
/// One steering axis: a unit direction in the user code space; <paramref name="Step"/>, the length in
/// code units of a move of δ = 1; the spread of the users' codes along the direction (σ, their
/// standard deviation); and, for a fitted axis, its held-out R². A fitted axis's step is the move that
/// raises the GLM's predicted share of its attribute by one standard deviation of the users' shares,
/// sd(y_a)/‖W_a‖, so "+2 on genre:Comedy" means the same on every method's scale: two standard
/// deviations more comedy, as the model reads it. Native and micro axes have no target: their step is
/// σ. <paramref name="Attribute"/> is the item attribute the axis is about (a fitted axis's target; a
/// native axis's best-matching attribute by lift), or null.
/// </summary>
internal sealed record SteeringAxis(string Name, AxisKind Kind, string Doc, double[] Direction, double Step, double Spread, double? HeldOutR2, string? Attribute)
{
    public string KindName => Kind switch { AxisKind.Fitted => "glm", AxisKind.Native => "native", _ => "micro" };
}
