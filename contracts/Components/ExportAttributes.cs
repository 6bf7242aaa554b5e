using System.Composition;

namespace Untangle.Contracts.Components;

/// <summary>
/// Exports a component of any kind with typed metadata: <c>[ExportComponent(ComponentKind.Method, "lightgcn",
/// Description = "...", Citation = "...")]</c>. The kind picks the MEF contract (<see cref="ContractOf"/>);
/// the properties become metadata the host reads through <see cref="ComponentMetadata"/> without
/// creating the part.
/// </summary>
/// <remarks>
/// One attribute rather than one per kind: System.Composition reads metadata only from properties
/// declared on the attribute's own class, so per-kind subclasses would each have to repeat them.
/// </remarks>
[MetadataAttribute]
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class ExportComponentAttribute : ExportAttribute
{
    public ExportComponentAttribute(ComponentKind kind, string name) : base(ContractOf(kind))
    {
        if (string.IsNullOrWhiteSpace(name)) throw new ArgumentException("A component needs a name.", nameof(name));
        Kind = kind;
        Name = name;
    }

    /// <summary>Which kind of component this is.</summary>
    public ComponentKind Kind { get; }

    /// <summary>The name experiments use (lower-case, dash-separated by convention).</summary>
    public string Name { get; }

    /// <summary>One line saying what it is.</summary>
    public string Description { get; set; } = "";

    /// <summary>The paper it follows, as "Authors. Title. Venue Year." (empty for generic parts).</summary>
    public string Citation { get; set; } = "";

    /// <summary>The interface a part of each kind implements and is exported as.</summary>
    public static Type ContractOf(ComponentKind kind) => kind switch
    {
        ComponentKind.Encoder => typeof(IEncoderFactory),
        ComponentKind.MutualInformationEstimator => typeof(IMutualInformationEstimatorFactory),
        ComponentKind.Discriminator => typeof(IDiscriminatorFactory),
        ComponentKind.GraphBuilder => typeof(IGraphBuilderFactory),
        ComponentKind.Method => typeof(IMethod),
        ComponentKind.DatasetReader => typeof(IDatasetReader),
        ComponentKind.SplitProtocol => typeof(ISplitProtocol),
        ComponentKind.Metric => typeof(IMetric),
        ComponentKind.Benchmark => typeof(IBenchmark),
        ComponentKind.DisentanglementMetric => typeof(Untangle.Contracts.Analysis.IDisentanglementMetric),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown component kind"),
    };
}

/// <summary>The metadata view the host imports parts with: <c>Lazy&lt;IMethod, ComponentMetadata&gt;</c>.</summary>
public sealed class ComponentMetadata
{
    public ComponentKind Kind { get; set; }
    public string Name { get; set; } = "";
    public string Description { get; set; } = "";
    public string Citation { get; set; } = "";
}
