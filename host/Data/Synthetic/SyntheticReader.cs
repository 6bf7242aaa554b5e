using System.Composition;
using Microsoft.Extensions.Logging;
using Untangle.Contracts.Components;
using Untangle.Contracts.Data;
using Untangle.Contracts.Settings;

namespace Untangle.Host.Data.Synthetic;

/// <summary>
/// The embedded default data set: interactions and side information generated from a known model,
/// so results can be checked against the truth (Untangle's own construction, after the intent
/// models of DisenGCN/MacridVAE and the shared/specific modality factors of multimodal
/// disentanglement papers).
/// <list type="bullet">
/// <item>K intents. Every item has exactly one intent category (balanced: round-robin over a random
/// item order), a factor f_i ∈ R^d and a Zipf popularity 1/rank.</item>
/// <item>Every user has a mixture mix_u ~ Dirichlet(user_concentration) over intents and a preference
/// vector pref_{u,k} ∈ R^d per intent.</item>
/// <item>Each user draws n ≥ 5 distinct items (mean about mean_interactions) from
/// p(i|u) ∝ Σ_k mix_u[k] · [cat(i) = k] · exp(&lt;pref_{u,k}, f_i&gt; / temperature) · popularity_i^pop_exponent,
/// with timestamps increasing per user and every value 1. Popularity alone predicts little;
/// the mixture and preferences carry the signal.</item>
/// <item>Item modalities "image" and "text": see <see cref="ModalityFeatures"/>. Item categories are
/// the intents ("intent0".."intent{K-1}"); item text names the category.</item>
/// <item>User attribute "group" (the sensitive attribute): with probability attribute_correlation the
/// parity of the dominant intent, else a fair coin.</item>
/// </list>
/// The seed fixes everything. The parameters and all true factors are kept in
/// Dataset.Extras["synthetic.truth"] (a <see cref="SyntheticTruth"/>). The reader needs no path; if
/// dataset.path is given it is a folder into which the generator also writes synthetic-truth.json
/// (the folder is created if missing).
/// </summary>
[ExportComponent(ComponentKind.DatasetReader, "synthetic",
    Description = "Synthetic intents + shared/specific modality factors + a correlated sensitive attribute, with the ground truth kept.")]
[Shared]
public sealed class SyntheticReader : IDatasetReader
{
    public IReadOnlyList<SettingSpec> Options => SyntheticParameters.Options;

    public Dataset Read(string? path, SettingValues options, ILogger logger)
    {
        var parameters = SyntheticParameters.From(options);
        var dataset = SyntheticGenerator.Generate(parameters);
        logger.LogInformation(
            "Synthetic data (seed {Seed}): {Users} users, {Items} items, {Interactions} interactions, {Intents} intents",
            parameters.Seed, dataset.UserCount, dataset.ItemCount, dataset.Interactions.Count, parameters.Intents);
        if (!string.IsNullOrWhiteSpace(path))
        {
            var written = ((SyntheticTruth)dataset.Extras[SyntheticTruth.ExtrasKey]).WriteTo(path);
            logger.LogInformation("Wrote the synthetic ground truth to {Path}", written);
        }
        return dataset;
    }

    /// <summary>Generates the data set without the host (tests, notebooks).</summary>
    public static Dataset Generate(SyntheticParameters parameters) => SyntheticGenerator.Generate(parameters);
}
