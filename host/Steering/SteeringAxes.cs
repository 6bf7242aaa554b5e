using Untangle.Contracts.Analysis;
using Untangle.Contracts.Training;
using static TorchSharp.torch;

namespace Untangle.Host.Steering;

/// <summary>
/// The axes of a user code space, after TL-GAN (Shaobo Guan, "TL-GAN: transparent latent-space GAN",
/// 2018; github.com/SummitKwan/transparent_latent_gan, src/tl_gan/feature_axis.py): one axis per
/// feature from a generalised linear model of the latent code. For each item attribute, a Gaussian
/// GLM with identity link, i.e. ridge regression, from a user's code to the attribute's share of that
/// user's history, y_ua = |{i ∈ H_u : i has a}| / |H_u|:
/// <code>
///     W = argmin  (1/n)‖Y − (X − x̄)W‖² + λ·s̄·‖W‖²          s̄ = mean column variance of X (λ scale-free)
///       = (XcᵀXc/n + λ·s̄·I)⁻¹ XcᵀY/n,      axis_a = W_a / ‖W_a‖   (TL-GAN's normalize_feature_axis)
/// </code>
/// fitted on a seeded 80 % of the given users; R² = 1 − SSE/SST on the other 20 % (SST about their
/// mean, so a constant scores 0), reported per axis. λ is chosen from a grid by the mean R² on a
/// quarter of the fitting users held out from the other three quarters (codes often have more
/// dimensions than there are users: MacridVAE's 700 against ml-latest-small's 610). The method's
/// native axes (<see cref="Representation.NativeAxes"/>) join them, each matched to the category
/// attribute its items lift most; micro dimensions are made on request by name.
/// </summary>
/// <remarks>
/// Departures from TL-GAN's code, each for a reason:
/// <list type="bullet">
/// <item>Labels are the attribute's share of the user's history, not a trained feature extractor's
/// output on generated samples: a recommender's user has a history, which is its label.</item>
/// <item>Ridge with a chosen λ, where TL-GAN fits sklearn's unpenalised LinearRegression (or one on
/// arctanh of the label): with as many code dimensions as users, the unpenalised fit is noise. The
/// issue asks for an L2-regularised GLM; the held-out R² is reported, which TL-GAN does not.</item>
/// <item>A step's length (<see cref="SteeringAxis.Step"/>) is the move that raises the predicted share
/// by one standard deviation of the users' shares; TL-GAN steps a fixed length in latent units, which
/// means nothing across methods whose codes have different scales.</item>
/// </list>
/// </remarks>
internal sealed class SteeringAxes
{
    /// <summary>The λ values tried (relative to the codes' mean column variance).</summary>
    public static readonly double[] RidgeGrid = [1e-3, 1e-2, 1e-1, 1, 10, 100];
    private readonly Dictionary<string, SteeringAxis> _byName;
    private readonly double[][] _codes;
    private readonly IReadOnlyList<CodeBlock> _blocks;

    private SteeringAxes(List<SteeringAxis> all, double[][] codes, IReadOnlyList<CodeBlock> blocks)
    {
        All = all;
        _byName = all.ToDictionary(a => a.Name, StringComparer.Ordinal);
        _codes = codes;
        _blocks = blocks;
    }

    /// <summary>Fitted then native axes, in order.</summary>
    public IReadOnlyList<SteeringAxis> All { get; }
    public int Dims => _codes[0].Length;

    /// <param name="codes">The users' codes (users × dims).</param>
    /// <param name="histories">Each user's known items (split indices), in the same order.</param>
    /// <param name="ridge">λ; null chooses it from <see cref="RidgeGrid"/> by the mean R² over attributes on a quarter of the fitting users held out from the rest.</param>
    public static SteeringAxes Fit(double[][] codes, IReadOnlyList<int[]> histories, ItemAttributes attributes, Representation representation,
        int seed, double? ridge = null)
    {
        if (codes.Length < 10)
            throw new InvalidOperationException($"steering axes need the codes of at least 10 users with histories, got {codes.Length}");
        int n = codes.Length, p = codes[0].Length, q = attributes.All.Count;
        var axes = new List<SteeringAxis>();
        double? lambdaUsed = null;
        if (q > 0)
        {
            var targets = new double[n, q];
            for (int u = 0; u < n; u++)
            {
                var shares = attributes.Shares(histories[u]);
                for (int a = 0; a < q; a++) targets[u, a] = shares[a];
            }
            var (fit, heldOut) = ProbeSplit.Of(n, seed, 0.8);
            var chosen = ridge ?? ChooseRidge(codes, targets, fit, seed);
            var (weights, r2) = Ridge(codes, targets, fit, heldOut, chosen);
            lambdaUsed = chosen;
            var spreads = Enumerable.Range(0, q).Select(a => SampleStatistics.StandardDeviation(Enumerable.Range(0, n).Select(u => targets[u, a]).ToArray())).ToArray();
            for (int a = 0; a < q; a++)
            {
                var w = Enumerable.Range(0, p).Select(j => weights[j, a]).ToArray();
                double norm = Math.Sqrt(w.Sum(x => x * x));
                if (norm < 1e-12) continue; // a share that no code predicts: no direction to move along
                var direction = w.Select(x => x / norm).ToArray();
                var name = attributes.All[a].Name;
                axes.Add(new SteeringAxis(name, AxisKind.Fitted, $"GLM of the share of '{name}' in the user's history", direction,
                    spreads[a] / norm, Spread(codes, direction), r2[a], name));
            }
        }
        if (representation.NativeAxes is { } native)
            foreach (var axis in native())
            {
                var direction = Unit(axis.Direction.Select(x => (double)x).ToArray(), axis.Name);
                double spread = Spread(codes, direction);
                axes.Add(new SteeringAxis(axis.Name, AxisKind.Native, axis.Doc, direction, spread, spread, null,
                    axis.ItemWeights is null ? null : BestLift(axis.ItemWeights, attributes)));
            }
        return new SteeringAxes(axes, codes, representation.Blocks) { Lambda = lambdaUsed };
    }

    /// <summary>The ridge λ the fitted axes used (null when the data have no attributes).</summary>
    public double? Lambda { get; private init; }

    /// <summary>λ from the grid with the best mean R² over attributes, fitting on 3/4 of <paramref name="fit"/> and scoring on the rest.</summary>
    private static double ChooseRidge(double[][] codes, double[,] targets, int[] fit, int seed)
    {
        var (inner, check) = ProbeSplit.Of(fit.Length, seed + 1, 0.75);
        var innerRows = inner.Select(i => fit[i]).ToArray();
        var checkRows = check.Select(i => fit[i]).ToArray();
        return RidgeGrid.MaxBy(lambda => Ridge(codes, targets, innerRows, checkRows, lambda).R2.Average());
    }

    /// <summary>The axis named <paramref name="name"/>: fitted or native, or a micro dimension "micro:BLOCK.J" / "micro:J".</summary>
    public bool TryGet(string name, out SteeringAxis axis)
    {
        if (_byName.TryGetValue(name, out axis!)) return true;
        if (!name.StartsWith("micro:", StringComparison.Ordinal)) return false;
        var spec = name["micro:".Length..];
        int column;
        var dot = spec.LastIndexOf('.');
        if (dot > 0 && _blocks.FirstOrDefault(b => b.Name == spec[..dot]) is { } block)
        {
            if (!int.TryParse(spec[(dot + 1)..], out var j) || j < 0 || j >= block.Length) return false;
            column = block.Start + j;
        }
        else if (!int.TryParse(spec, out column) || column < 0 || column >= Dims) return false;
        var direction = new double[Dims];
        direction[column] = 1;
        double spread = Spread(_codes, direction);
        axis = new SteeringAxis(name, AxisKind.Micro, $"code column {column}", direction, spread, spread, null, null);
        return true;
    }

    /// <summary>What a valid axis name looks like, for error lines.</summary>
    public string Describe()
    {
        var names = string.Join(", ", All.Select(a => a.Name));
        var micro = _blocks.Count > 0
            ? $"micro:{_blocks[0].Name}.0 … micro:{_blocks[^1].Name}.{_blocks[^1].Length - 1}"
            : $"micro:0 … micro:{Dims - 1}";
        return $"{names}{(names.Length > 0 ? ", " : "")}{micro}";
    }

    /// <summary>Standard deviation of the users' codes projected on a unit direction.</summary>
    public static double Spread(double[][] codes, double[] direction) => SampleStatistics.StandardDeviation(codes.Select(c => Dot(c, direction)).ToArray());

    public static double Dot(double[] a, double[] b)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++) s += a[i] * b[i];
        return s;
    }

    public static double[] Unit(double[] v, string name)
    {
        double norm = Math.Sqrt(v.Sum(x => x * x));
        if (norm < 1e-12) throw new InvalidOperationException($"axis '{name}' has no direction (zero vector)");
        return v.Select(x => x / norm).ToArray();
    }

    /// <summary>Ridge fit on <paramref name="fit"/> rows (torch, float64) and per-target held-out R².</summary>
    private static (double[,] Weights, double[] R2) Ridge(double[][] codes, double[,] targets, int[] fit, int[] heldOut, double ridge)
    {
        using var scope = NewDisposeScope();
        int p = codes[0].Length, q = targets.GetLength(1);
        Tensor Rows(int[] rows) => tensor(rows.SelectMany(r => codes[r]).ToArray(), [rows.Length, p], ScalarType.Float64);
        Tensor Targets(int[] rows) => tensor(rows.SelectMany(r => Enumerable.Range(0, q).Select(a => targets[r, a])).ToArray(), [rows.Length, q], ScalarType.Float64);
        var x = Rows(fit);
        var y = Targets(fit);
        var xMean = x.mean([0], keepdim: true);
        var yMean = y.mean([0], keepdim: true);
        var xc = x - xMean;
        var yc = y - yMean;
        double n = fit.Length;
        double meanVariance = (xc * xc).sum().item<double>() / n / p;
        var gram = xc.t().mm(xc) / n + eye(p, dtype: ScalarType.Float64) * (ridge * Math.Max(meanVariance, 1e-12));
        var w = linalg.solve(gram, xc.t().mm(yc) / n);

        var xh = Rows(heldOut);
        var yh = Targets(heldOut);
        var prediction = (xh - xMean).mm(w) + yMean;
        var sse = (yh - prediction).Squared().sum([0]);
        var sst = (yh - yh.mean([0], keepdim: true)).Squared().sum([0]);
        var sseValues = sse.data<double>().ToArray();
        var sstValues = sst.data<double>().ToArray();
        var r2 = sseValues.Select((e, a) => sstValues[a] < 1e-300 ? 0 : 1 - e / sstValues[a]).ToArray();
        var values = w.data<double>().ToArray();
        var weights = new double[p, q];
        for (int j = 0; j < p; j++) for (int a = 0; a < q; a++) weights[j, a] = values[j * q + a];
        return (weights, r2);
    }

    /// <summary>The category attribute (genre:/category:) whose items the axis's item weights lift most: argmax_a P_w(a) / P(a).</summary>
    private static string? BestLift(float[] itemWeights, ItemAttributes attributes)
    {
        double total = itemWeights.Sum(w => (double)w);
        if (total <= 0) return null;
        string? best = null;
        double bestLift = double.NegativeInfinity;
        foreach (var attribute in attributes.All.Where(a => !a.Name.StartsWith("tag:", StringComparison.Ordinal)))
        {
            double weighted = 0;
            for (int i = 0; i < itemWeights.Length; i++) if (attribute.Has[i]) weighted += itemWeights[i];
            double lift = weighted / total / ((double)attribute.Items / itemWeights.Length);
            if (lift > bestLift) (best, bestLift) = (attribute.Name, lift);
        }
        return best;
    }
}
