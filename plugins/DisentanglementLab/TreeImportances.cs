using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.FastTree;

namespace Untangle.Plugins.DisentanglementLab;

/// <summary>
/// Gradient-boosted regression trees (ML.NET FastTree) from the whole code to one factor: the
/// importance of each code (the trees' summed split gains, normalised to sum to 1 as sklearn's
/// feature_importances_) and the held-out predictions. Sized after the sklearn
/// GradientBoostingClassifier defaults disentanglement_lib's DCI uses: 100 trees, learning rate 0.1,
/// depth-3 trees (8 leaves).
/// </summary>
internal static class TreeImportances
{
    private sealed class Row
    {
        public float Label { get; set; }
        public float[] Features { get; set; } = [];
    }

    private sealed class Prediction
    {
        public float Score { get; set; }
    }

    /// <summary>Importances (one per code) and predictions for <paramref name="heldOut"/>.</summary>
    public static (double[] Importance, double[] Predicted) Fit(double[][] fit, double[] targets, double[][] heldOut, int seed)
    {
        int p = fit[0].Length;
        var ml = new MLContext(seed);
        var schema = SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, p);
        var train = ml.Data.LoadFromEnumerable(fit.Select((x, i) => new Row { Label = (float)targets[i], Features = ToFloats(x) }), schema);
        var trainer = ml.Regression.Trainers.FastTree(new FastTreeRegressionTrainer.Options
        {
            NumberOfTrees = 100,
            NumberOfLeaves = 8,
            LearningRate = 0.1,
            MinimumExampleCountPerLeaf = 10,
            LabelColumnName = nameof(Row.Label),
            FeatureColumnName = nameof(Row.Features),
        });
        var model = trainer.Fit(train);
        VBuffer<float> weights = default;
        model.Model.GetFeatureWeights(ref weights);
        var importance = new double[p];
        foreach (var (index, value) in weights.Items()) importance[index] = Math.Abs(value);
        double sum = importance.Sum();
        if (sum > 0) for (int c = 0; c < p; c++) importance[c] /= sum;

        var test = ml.Data.LoadFromEnumerable(heldOut.Select(x => new Row { Features = ToFloats(x) }), schema);
        var predicted = model.Transform(test).GetColumn<float>(nameof(Prediction.Score)).Select(v => (double)v).ToArray();
        return (importance, predicted);
    }

    private static float[] ToFloats(double[] x)
    {
        var f = new float[x.Length];
        for (int i = 0; i < x.Length; i++) f[i] = (float)x[i];
        return f;
    }
}
