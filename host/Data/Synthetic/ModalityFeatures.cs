using Untangle.Contracts.Data;

namespace Untangle.Host.Data.Synthetic;

/// <summary>
/// The two item modalities, "image" and "text", built the way multimodal disentanglement papers
/// assume their features arise: factors shared by both modalities plus factors specific to each,
/// mixed linearly and observed with noise.
/// <list type="bullet">
/// <item>shared_i = (e_{cat(i)} + P f_i) / √2: a category embedding e_k ~ N(0, I) plus a projection
/// P (entries N(0, 1)) of the item factor f_i, so the shared part carries both the intent and the
/// within-intent preference signal; each component has unit variance.</item>
/// <item>For each modality: specific_i ~ N(0, I_{specific_dim}); x_i = A shared_i + B specific_i +
/// noise · ε with A, B of N(0, 1/columns) entries (each part contributes unit variance per column)
/// and ε ~ N(0, I).</item>
/// </list>
/// </summary>
internal sealed class ModalityFeatures
{
    public required double[][] Shared { get; init; }
    public required double[][] CategoryEmbeddings { get; init; }
    public required double[][] Projection { get; init; }
    public required ModalityTruth Image { get; init; }
    public required ModalityTruth Text { get; init; }
    public required FeatureMatrix ImageFeatures { get; init; }
    public required FeatureMatrix TextFeatures { get; init; }

    public static ModalityFeatures Generate(RandomDraws draws, SyntheticParameters p, int[] categories, double[][] itemFactors)
    {
        var embeddings = SyntheticGenerator.Rows(p.Intents, () => draws.NormalVector(p.SharedDim));
        var projection = SyntheticGenerator.Rows(p.SharedDim, () => draws.NormalVector(p.FactorDim));
        var shared = new double[p.Items][];
        for (int i = 0; i < p.Items; i++)
        {
            var pf = Multiply(projection, itemFactors[i]);
            var e = embeddings[categories[i]];
            shared[i] = pf.Select((x, j) => (e[j] + x) / Math.Sqrt(2)).ToArray();
        }
        var (image, imageFeatures) = Modality(draws, p, shared);
        var (text, textFeatures) = Modality(draws, p, shared);
        return new ModalityFeatures
        {
            Shared = shared, CategoryEmbeddings = embeddings, Projection = projection,
            Image = image, Text = text, ImageFeatures = imageFeatures, TextFeatures = textFeatures,
        };
    }

    private static (ModalityTruth, FeatureMatrix) Modality(RandomDraws draws, SyntheticParameters p, double[][] shared)
    {
        var sharedLoadings = SyntheticGenerator.Rows(p.ModalityDim, () => draws.NormalVector(p.SharedDim, 1.0 / Math.Sqrt(p.SharedDim)));
        var specificLoadings = SyntheticGenerator.Rows(p.ModalityDim, () => draws.NormalVector(p.SpecificDim, 1.0 / Math.Sqrt(p.SpecificDim)));
        var specific = SyntheticGenerator.Rows(p.Items, () => draws.NormalVector(p.SpecificDim));
        var data = new float[p.Items * p.ModalityDim];
        for (int i = 0; i < p.Items; i++)
        {
            var a = Multiply(sharedLoadings, shared[i]);
            var b = Multiply(specificLoadings, specific[i]);
            for (int c = 0; c < p.ModalityDim; c++)
                data[i * p.ModalityDim + c] = (float)(a[c] + b[c] + p.Noise * draws.Normal());
        }
        return (new ModalityTruth(specific, sharedLoadings, specificLoadings), new FeatureMatrix(p.Items, p.ModalityDim, data));
    }

    private static double[] Multiply(double[][] matrix, double[] vector)
    {
        var result = new double[matrix.Length];
        for (int r = 0; r < matrix.Length; r++)
        {
            double sum = 0;
            for (int c = 0; c < vector.Length; c++) sum += matrix[r][c] * vector[c];
            result[r] = sum;
        }
        return result;
    }
}
