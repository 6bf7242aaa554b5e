using Microsoft.Extensions.Logging;
using Untangle.Contracts.Data;
using Untangle.Contracts.Evaluation;
using Untangle.Contracts.Settings;

namespace Untangle.Contracts.Components;

/// <summary>Reads (or generates) a data set. Options come from dataset.&lt;option&gt; keys.</summary>
public interface IDatasetReader
{
    IReadOnlyList<SettingSpec> Options { get; }
    /// <summary>Reads the data set at dataset.path (a file or folder; null where the reader needs none, as the synthetic generator).</summary>
    Dataset Read(string? path, SettingValues options, ILogger logger);
}

/// <summary>Splits a data set into training interactions and validation/test sets; seeded and reproducible.</summary>
public interface ISplitProtocol
{
    IReadOnlyList<SettingSpec> Options { get; }
    Split Apply(Dataset dataset, SettingValues options, int seed);
    /// <summary>True when the split evaluates users held out of training (strong generalization): the resolver then refuses, before any data are read, a method that cannot fold users in.</summary>
    bool HoldsOutUsers(SettingValues options) => false;
}

/// <summary>A metric over ranked lists. Its name in experiments is "&lt;name&gt;@K".</summary>
public interface IMetric
{
    bool HigherIsBetter { get; }
    MetricResult Compute(RankingResult ranking, int k);
}
