using System.Composition;

namespace Untangle.Contracts.Components;

/// <summary>
/// Base of the typed export attributes. Its public properties become MEF metadata, which the host
/// reads through <see cref="ComponentMetadata"/> without creating the part.
/// </summary>
/// <remarks>
/// System.Composition reads metadata only from properties declared on the attribute's own type
/// (TypeInspector.ReadMetadataAttribute keeps p.DeclaringType == attrType), so every concrete export
/// attribute redeclares Kind, Name, Description and Citation with <c>new</c>, forwarding to these.
/// A new export attribute must do the same, or its parts fail with "Export metadata for 'Kind' is missing".
/// </remarks>
[MetadataAttribute]
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public abstract class ExportComponentAttribute : ExportAttribute
{
    protected ExportComponentAttribute(Type contract, ComponentKind kind, string name) : base(contract)
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
}

[MetadataAttribute, AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class ExportEncoderAttribute(string name)
    : ExportComponentAttribute(typeof(IEncoderFactory), ComponentKind.Encoder, name)
{
    public new ComponentKind Kind => base.Kind;
    public new string Name => base.Name;
    public new string Description { get => base.Description; set => base.Description = value; }
    public new string Citation { get => base.Citation; set => base.Citation = value; }
}

[MetadataAttribute, AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class ExportMutualInformationEstimatorAttribute(string name)
    : ExportComponentAttribute(typeof(IMutualInformationEstimatorFactory), ComponentKind.MutualInformationEstimator, name)
{
    public new ComponentKind Kind => base.Kind;
    public new string Name => base.Name;
    public new string Description { get => base.Description; set => base.Description = value; }
    public new string Citation { get => base.Citation; set => base.Citation = value; }
}

[MetadataAttribute, AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class ExportDiscriminatorAttribute(string name)
    : ExportComponentAttribute(typeof(IDiscriminatorFactory), ComponentKind.Discriminator, name)
{
    public new ComponentKind Kind => base.Kind;
    public new string Name => base.Name;
    public new string Description { get => base.Description; set => base.Description = value; }
    public new string Citation { get => base.Citation; set => base.Citation = value; }
}

[MetadataAttribute, AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class ExportGraphBuilderAttribute(string name)
    : ExportComponentAttribute(typeof(IGraphBuilderFactory), ComponentKind.GraphBuilder, name)
{
    public new ComponentKind Kind => base.Kind;
    public new string Name => base.Name;
    public new string Description { get => base.Description; set => base.Description = value; }
    public new string Citation { get => base.Citation; set => base.Citation = value; }
}

[MetadataAttribute, AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class ExportMethodAttribute(string name)
    : ExportComponentAttribute(typeof(IMethod), ComponentKind.Method, name)
{
    public new ComponentKind Kind => base.Kind;
    public new string Name => base.Name;
    public new string Description { get => base.Description; set => base.Description = value; }
    public new string Citation { get => base.Citation; set => base.Citation = value; }
}

[MetadataAttribute, AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class ExportDatasetReaderAttribute(string name)
    : ExportComponentAttribute(typeof(IDatasetReader), ComponentKind.DatasetReader, name)
{
    public new ComponentKind Kind => base.Kind;
    public new string Name => base.Name;
    public new string Description { get => base.Description; set => base.Description = value; }
    public new string Citation { get => base.Citation; set => base.Citation = value; }
}

[MetadataAttribute, AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class ExportSplitProtocolAttribute(string name)
    : ExportComponentAttribute(typeof(ISplitProtocol), ComponentKind.SplitProtocol, name)
{
    public new ComponentKind Kind => base.Kind;
    public new string Name => base.Name;
    public new string Description { get => base.Description; set => base.Description = value; }
    public new string Citation { get => base.Citation; set => base.Citation = value; }
}

[MetadataAttribute, AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class ExportMetricAttribute(string name)
    : ExportComponentAttribute(typeof(IMetric), ComponentKind.Metric, name)
{
    public new ComponentKind Kind => base.Kind;
    public new string Name => base.Name;
    public new string Description { get => base.Description; set => base.Description = value; }
    public new string Citation { get => base.Citation; set => base.Citation = value; }
}

/// <summary>The metadata view the host imports parts with: <c>Lazy&lt;IMethod, ComponentMetadata&gt;</c>.</summary>
public sealed class ComponentMetadata
{
    public ComponentKind Kind { get; set; }
    public string Name { get; set; } = "";
    public string Description { get; set; } = "";
    public string Citation { get; set; } = "";
}
