using System.Composition;
using Untangle.Contracts.Components;
using Untangle.Contracts.Data;
using Untangle.Contracts.Settings;

namespace Untangle.Host.Data.Protocols;

/// <summary>
/// Uses the split that came with the data (<see cref="Dataset.PredefinedSplit"/>) exactly as given,
/// so a published split (e.g. MultVAE's vae_cf files) can be reused. The seed is not used.
/// </summary>
[ExportComponent(ComponentKind.SplitProtocol, "presplit",
    Description = "The split the data set's reader provided (e.g. the vae_cf layout), as given.")]
[Shared]
public sealed class PresplitProtocol : ISplitProtocol
{
    /// <summary>Readers that provide a split; named in the error so a user knows what to pick.</summary>
    public static readonly string[] SplittingReaders = ["vaecf", "mmrec"];

    public IReadOnlyList<SettingSpec> Options { get; } = [];

    public Split Apply(Dataset dataset, SettingValues options, int seed) =>
        dataset.PredefinedSplit ?? throw new InvalidOperationException(
            $"protocol 'presplit': the reader of data set '{dataset.Name}' provided no split; " +
            $"use a reader that does ({string.Join(", ", SplittingReaders)}) or another protocol (strong, weak-random, weak-temporal).");
}
