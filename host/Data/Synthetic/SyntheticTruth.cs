using System.Text.Json;

namespace Untangle.Host.Data.Synthetic;

/// <summary>
/// Everything the synthetic generator drew: its parameters and every true factor, kept with the data
/// set as Dataset.Extras["synthetic.truth"] and written as synthetic-truth.json, so disentanglement
/// measurements can compare learned representations with the factors that produced the data.
/// Arrays are indexed [user][...] and [item][...] in the data set's index space.
/// </summary>
public sealed class SyntheticTruth
{
    /// <summary>The key under which the data set keeps this object in <c>Dataset.Extras</c>.</summary>
    public const string ExtrasKey = "synthetic.truth";
    /// <summary>The file <see cref="WriteTo"/> writes.</summary>
    public const string FileName = "synthetic-truth.json";

    public required SyntheticParameters Parameters { get; init; }
    /// <summary>users × K: each user's Dirichlet mixture over intents.</summary>
    public required double[][] UserMixtures { get; init; }
    /// <summary>users × K × d: each user's preference vector within each intent.</summary>
    public required double[][][] UserPreferences { get; init; }
    /// <summary>users: the intent with the largest mixture weight.</summary>
    public required int[] DominantIntents { get; init; }
    /// <summary>users: true where the 'group' attribute followed the dominant intent, false where it was a coin flip.</summary>
    public required bool[] AttributeFollowsIntent { get; init; }
    /// <summary>items: the item's intent category.</summary>
    public required int[] ItemCategories { get; init; }
    /// <summary>items × d: the item factors the preferences act on.</summary>
    public required double[][] ItemFactors { get; init; }
    /// <summary>items: Zipf popularity 1/rank (before the pop_exponent is applied).</summary>
    public required double[] ItemPopularity { get; init; }
    /// <summary>K × shared_dim: the category embeddings the shared modality factors start from.</summary>
    public required double[][] CategoryEmbeddings { get; init; }
    /// <summary>shared_dim × d: projects an item factor into the shared modality space.</summary>
    public required double[][] SharedProjection { get; init; }
    /// <summary>items × shared_dim: the factors both modalities are built from.</summary>
    public required double[][] SharedFactors { get; init; }
    public required ModalityTruth Image { get; init; }
    public required ModalityTruth Text { get; init; }

    /// <summary>
    /// The unnormalised sampling weights p(i|u) ∝ mix_u[cat(i)] · exp(&lt;pref_{u,cat(i)}, f_i&gt; / T) ·
    /// popularity_i^pop_exponent, as natural logarithms (−∞ never occurs: a zero mixture weight is
    /// floored at 1e-300 so those items are drawn only if nothing else is left).
    /// </summary>
    public double[] LogItemWeights(int user)
    {
        var p = Parameters;
        var weights = new double[ItemCategories.Length];
        for (int i = 0; i < weights.Length; i++)
        {
            int k = ItemCategories[i];
            double dot = 0;
            var pref = UserPreferences[user][k];
            var f = ItemFactors[i];
            for (int j = 0; j < f.Length; j++) dot += pref[j] * f[j];
            weights[i] = Math.Log(Math.Max(UserMixtures[user][k], 1e-300)) + dot / p.Temperature
                         + p.PopularityExponent * Math.Log(ItemPopularity[i]);
        }
        return weights;
    }

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false };

    /// <summary>Writes <see cref="FileName"/> into <paramref name="folder"/> (created if missing); returns the file's path.</summary>
    public string WriteTo(string folder)
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, FileName);
        Runs.FileWrite.Atomically(path, "writing", stream => JsonSerializer.Serialize(stream, this, Json));
        return path;
    }

    /// <summary>Reads a file <see cref="WriteTo"/> wrote.</summary>
    public static SyntheticTruth ReadFrom(string path)
    {
        using var stream = File.OpenRead(path);
        return JsonSerializer.Deserialize<SyntheticTruth>(stream, Json)
               ?? throw new InvalidDataException($"{path}: empty synthetic truth; expected the JSON object SyntheticTruth.WriteTo writes.");
    }
}

/// <summary>
/// One modality's true factors: features = SharedLoadings · shared + SpecificLoadings · specific + noise.
/// </summary>
/// <param name="SpecificFactors">items × specific_dim: factors only this modality carries.</param>
/// <param name="SharedLoadings">modality_dim × shared_dim.</param>
/// <param name="SpecificLoadings">modality_dim × specific_dim.</param>
public sealed record ModalityTruth(double[][] SpecificFactors, double[][] SharedLoadings, double[][] SpecificLoadings);
