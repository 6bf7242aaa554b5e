using Untangle.Contracts.Analysis;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using Untangle.Contracts.Training;

namespace Untangle.Plugins.FairMi;

/// <summary>Which classifier the attacker trains.</summary>
public enum AttackerKind
{
    /// <summary>Multinomial logistic regression on the standardised embedding.</summary>
    Logistic,
    /// <summary>A two-layer MLP: Linear(d, hidden), ReLU, Linear(hidden, classes).</summary>
    Mlp,
}

/// <summary>
/// The attacker of fair-representation papers (specs/protocols-and-metrics.md, "Attacker AUC"; not in
/// FairMI's code): a classifier trained on 80% of the users' frozen embeddings to predict the sensitive
/// attribute, scored by ROC-AUC on the other 20%. 0.5 means the embeddings leak nothing a classifier finds.
/// </summary>
/// <remarks>
/// Everything random (the user split, the weight initialisation) comes from the given seed through a
/// local generator, never libtorch's global one, so the value is reproducible and runs may overlap.
/// Features are standardised with the training part's mean and standard deviation. Training is
/// full-batch Adam on cross-entropy with a small weight decay; the official papers do not fix these
/// details (fixed here: 300 steps, lr 1e-2 for logistic regression, 1e-3 and 64 hidden units for the MLP).
/// <para>A value well below 0.5 is not "better than fair": it means the direction the attacker learned
/// on its 80% reverses on the other 20%. Embeddings de-correlated from the attribute over all users
/// (FairMI fits s and the CLUB bound on every user) do this: when the group means agree over all users,
/// the training part's difference is minus the held-out part's. Read |AUC − 0.5| as the leakage.</para>
/// </remarks>
public static class AttributeAttacker
{
    public const double TrainFraction = 0.8;

    /// <summary>The held-out ROC-AUC of an attacker trained on rows of <paramref name="embeddings"/> (users × d, any device) with labels <paramref name="labels"/>.</summary>
    public static double HeldOutAuc(Tensor embeddings, int[] labels, int classes, AttackerKind kind, int seed, int steps = 300)
    {
        if (embeddings.dim() != 2 || embeddings.shape[0] != labels.Length)
            throw new ArgumentException($"the attacker needs users × d embeddings with one label per user; got {string.Join(" x ", embeddings.shape)} and {labels.Length} labels");
        if (classes < 2) throw new ArgumentException($"the attacker needs at least two classes; got {classes}");
        using var scope = NewDisposeScope();
        using var noGradOutside = enable_grad();
        var random = new Random(seed);
        var order = Enumerable.Range(0, labels.Length).OrderBy(_ => random.Next()).ToArray();
        int trainCount = (int)Math.Round(TrainFraction * labels.Length);
        var trainRows = order[..trainCount];
        var testRows = order[trainCount..];

        var x = embeddings.detach().to(float32).cpu();
        var train = x.index_select(0, tensor(trainRows.Select(i => (long)i).ToArray()));
        var test = x.index_select(0, tensor(testRows.Select(i => (long)i).ToArray()));
        var mean = train.mean([0], keepdim: true);
        using var epsilon = StableScalar.Hold(1e-6); // see StableScalar
        var std = train.std(0, keepdim: true).add(epsilon);
        train = (train - mean) / std;
        test = (test - mean) / std;
        var target = tensor(trainRows.Select(i => (long)labels[i]).ToArray());

        using var generator = new torch.Generator((ulong)seed, CPU);
        int d = (int)x.shape[1];
        var layers = kind == AttackerKind.Logistic
            ? new List<(Parameter W, Parameter B)> { Layer(d, classes, generator) }
            : [Layer(d, 64, generator), Layer(64, classes, generator)];
        var parameters = layers.SelectMany(l => new[] { l.W, l.B }).ToList();
        using var optimizer = optim.Adam(parameters, kind == AttackerKind.Logistic ? 1e-2 : 1e-3, weight_decay: 1e-4);
        for (int s = 0; s < steps; s++)
        {
            using var stepScope = NewDisposeScope();
            optimizer.zero_grad();
            var loss = nn.functional.cross_entropy(Forward(layers, train), target);
            loss.backward();
            optimizer.step();
        }
        double[][] probabilities;
        using (no_grad())
        {
            var p = nn.functional.softmax(Forward(layers, test), 1).to(float64);
            var flat = p.data<double>().ToArray();
            probabilities = Enumerable.Range(0, testRows.Length).Select(r => flat.AsSpan(r * classes, classes).ToArray()).ToArray();
        }
        foreach (var (w, b) in layers) { w.Dispose(); b.Dispose(); }
        return RocAuc.OneVersusRest(probabilities, testRows.Select(i => labels[i]).ToArray(), classes);
    }

    private static Tensor Forward(List<(Parameter W, Parameter B)> layers, Tensor x)
    {
        var h = x;
        for (int l = 0; l < layers.Count; l++)
        {
            h = h.mm(layers[l].W).Plus(layers[l].B);
            if (l < layers.Count - 1) h = nn.functional.relu(h);
        }
        return h;
    }

    // Kaiming-uniform-like bound 1/sqrt(fan_in), as nn.Linear, from the local generator.
    private static (Parameter W, Parameter B) Layer(int fanIn, int fanOut, Generator generator)
    {
        double bound = 1 / Math.Sqrt(fanIn);
        using var w = rand([fanIn, fanOut], generator: generator);
        using var b = rand([fanOut], generator: generator);
        using var scale = StableScalar.Hold(2 * bound);
        using var shift = StableScalar.Hold(bound);
        var weight = new Parameter(w.mul(scale).sub(shift));
        var bias = new Parameter(b.mul(scale).sub(shift));
        weight.DetachFromDisposeScope();
        bias.DetachFromDisposeScope();
        return (weight, bias);
    }
}
