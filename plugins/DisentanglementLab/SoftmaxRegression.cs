using TorchSharp;
using Untangle.Contracts.Training;
using static TorchSharp.torch;

namespace Untangle.Plugins.DisentanglementLab;

/// <summary>
/// L2-regularised multinomial logistic regression with several independent heads over the same
/// inputs (one per factor), as sklearn's LogisticRegression defaults that disentanglement_lib uses
/// (C = 1: mean cross-entropy + ‖W‖² / (2n), intercepts not penalised). The heads share no parameter,
/// so fitting them in one matrix product with Adam is fitting each on its own, only faster.
/// Inputs are standardised with the fitting rows' mean and deviation (constant columns stay 0).
/// </summary>
internal sealed class SoftmaxRegression
{
    private const int Iterations = 300;
    private const double LearningRate = 0.05;

    private readonly StandardisedColumns _columns;
    private readonly Tensor _weights, _bias;
    private readonly int[] _classes, _offsets;

    private SoftmaxRegression(StandardisedColumns columns, Tensor weights, Tensor bias, int[] classes, int[] offsets)
    {
        (_columns, _weights, _bias, _classes, _offsets) = (columns, weights, bias, classes, offsets);
    }

    /// <param name="inputs">n × p.</param>
    /// <param name="labels">heads × n: each head's class (0 ≤ label &lt; classes[head]).</param>
    /// <param name="classes">Classes per head.</param>
    public static SoftmaxRegression Fit(double[][] inputs, int[][] labels, int[] classes, int seed)
    {
        int n = inputs.Length, p = inputs[0].Length;
        var standardised = StandardisedColumns.Fit(inputs);
        var offsets = new int[classes.Length + 1];
        for (int h = 0; h < classes.Length; h++) offsets[h + 1] = offsets[h] + classes[h];

        using var scope = NewDisposeScope();
        // Analyses run under no_grad; the fit needs gradients.
        using var grad = enable_grad();
        using var generator = new Generator((ulong)seed, CPU);
        var x = Standardise(inputs, standardised);
        // Every number in the loop is a Scalar held for the whole fit (see HeldScalars: a temporary
        // Scalar can be finalised under the native call).
        using var initialScale = 0.01.ToScalar();
        using var headCount = ((double)classes.Length).ToScalar();
        using var penalty = (1.0 / (2.0 * n)).ToScalar();
        using var beta1 = 0.9.ToScalar();
        using var beta2 = 0.999.ToScalar();
        using var oneMinusBeta1 = 0.1.ToScalar();
        using var oneMinusBeta2 = 0.001.ToScalar();
        using var epsilon = 1e-8.ToScalar();
        // add_(Scalar) passes a temporary Scalar alpha = 1 of its own, which can be finalised under the call: hold it too.
        using var one = 1.0.ToScalar();
        var w = randn(p, offsets[^1], generator: generator).mul(initialScale).requires_grad_();
        var b = zeros(offsets[^1]).requires_grad_();
        // Heads side by side in one [n·heads, widest] cross-entropy: logits of classes a head does not
        // have are pushed to −1e9 (probability 0, gradient 0), so each head is its own softmax.
        int heads = classes.Length, widest = classes.Max();
        var columns = new long[heads * widest];
        var padding = new float[heads * widest];
        for (int h = 0; h < heads; h++)
            for (int c = 0; c < widest; c++)
            {
                columns[h * widest + c] = offsets[h] + Math.Min(c, classes[h] - 1);
                padding[h * widest + c] = c < classes[h] ? 0f : -1e9f;
            }
        var gather = tensor(columns);
        var mask = tensor(padding).reshape(1, heads * widest);
        var targetData = new long[n * heads];
        for (int i = 0; i < n; i++)
            for (int h = 0; h < heads; h++) targetData[i * heads + h] = labels[h][i];
        var targets = tensor(targetData);
        // Adam (Kingma & Ba 2015) written out, with the held Scalars above.
        var moments = new[] { (zeros_like(w), zeros_like(w)), (zeros_like(b), zeros_like(b)) };
        for (int t = 1; t <= Iterations; t++)
        {
            using var step = NewDisposeScope();
            var logits = x.mm(w).Plus(b).index_select(1, gather).Plus(mask);
            // cross_entropy averages over n·heads rows; × heads makes it the sum over heads of each head's mean.
            var loss = nn.functional.cross_entropy(logits.reshape(n * heads, widest), targets).mul(headCount).Plus((w * w).sum().mul(penalty));
            var gradients = autograd.grad([loss], [w, b]);
            using var stepSize = (-LearningRate * Math.Sqrt(1 - Math.Pow(0.999, t)) / (1 - Math.Pow(0.9, t))).ToScalar();
            using (no_grad())
            {
                foreach (var (parameter, gradient, (first, second)) in new[] { w, b }.Zip(gradients, moments))
                {
                    first.mul_(beta1).add_(gradient, oneMinusBeta1);
                    second.mul_(beta2).addcmul_(gradient, gradient, oneMinusBeta2);
                    parameter.addcdiv_(first, second.sqrt().add_(epsilon, one), stepSize);
                }
            }
        }
        return new SoftmaxRegression(standardised, w.detach().MoveToOuterDisposeScope(), b.detach().MoveToOuterDisposeScope(), classes, offsets);
    }

    /// <summary>heads × n × classes: each head's class probabilities for each input.</summary>
    public double[][][] Probabilities(double[][] inputs)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var logits = Standardise(inputs, _columns).mm(_weights).Plus(_bias);
        var result = new double[_classes.Length][][];
        for (int h = 0; h < _classes.Length; h++)
        {
            var probabilities = nn.functional.softmax(logits.narrow(1, _offsets[h], _classes[h]), 1).to_type(ScalarType.Float64).data<double>().ToArray();
            result[h] = new double[inputs.Length][];
            for (int i = 0; i < inputs.Length; i++) result[h][i] = probabilities.AsSpan(i * _classes[h], _classes[h]).ToArray();
        }
        return result;
    }

    /// <summary>heads × n: each head's most probable class.</summary>
    public int[][] Predict(double[][] inputs) =>
        Probabilities(inputs).Select(head => head.Select(p => Array.IndexOf(p, p.Max())).ToArray()).ToArray();

    private static Tensor Standardise(double[][] inputs, StandardisedColumns columns) => columns.Tensor(inputs).to_type(ScalarType.Float32);
}
