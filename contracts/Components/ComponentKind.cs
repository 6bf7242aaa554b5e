namespace Untangle.Contracts.Components;

/// <summary>The kinds of part a plugin can export. Each has its own export attribute and contract type.</summary>
public enum ComponentKind
{
    /// <summary>A TorchSharp module mapping inputs (user rows, graphs, features) to representations.</summary>
    Encoder,
    /// <summary>A differentiable estimate (bound) of the mutual information between two variables.</summary>
    MutualInformationEstimator,
    /// <summary>A critic that scores rows, with its own loss and the generator-side loss.</summary>
    Discriminator,
    /// <summary>Builds sparse normalised graphs from interactions or from learned scores.</summary>
    GraphBuilder,
    /// <summary>A paper's recipe: slots, hyper-parameters, batch kind, and the training graph it builds.</summary>
    Method,
    /// <summary>Reads a data set from disk (or generates one).</summary>
    DatasetReader,
    /// <summary>Splits a data set into training interactions and evaluation sets.</summary>
    SplitProtocol,
    /// <summary>Scores ranked lists against held-out targets.</summary>
    Metric,
    /// <summary>A benchmark a plugin runs itself (`bench NAME`), beyond plugins.json's experiment tables.</summary>
    Benchmark,
    /// <summary>Scores a representation's codes against true factors (MIG, DCI, SAP, ...).</summary>
    DisentanglementMetric,
}

public static class ComponentKindNames
{
    /// <summary>The lower-case name used on the command line and in configuration keys.</summary>
    public static string Display(this ComponentKind kind) => kind switch
    {
        ComponentKind.Encoder => "encoder",
        ComponentKind.MutualInformationEstimator => "mi-estimator",
        ComponentKind.Discriminator => "discriminator",
        ComponentKind.GraphBuilder => "graph-builder",
        ComponentKind.Method => "method",
        ComponentKind.DatasetReader => "dataset-reader",
        ComponentKind.SplitProtocol => "protocol",
        ComponentKind.Metric => "metric",
        ComponentKind.Benchmark => "benchmark",
        ComponentKind.DisentanglementMetric => "disentanglement-metric",
        _ => kind.ToString(),
    };
}
