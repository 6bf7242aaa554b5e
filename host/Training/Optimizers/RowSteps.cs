using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using Untangle.Contracts.Training;

namespace Untangle.Host.Training.Optimizers;

/// <summary>
/// Adam (Kingma and Ba, ICLR 2015, Algorithm 1) on the rows of one embedding table that a batch read,
/// on the CPU, in place on the parameter and its moments: <see cref="RowUpdates.Deferred"/> (dense
/// Adam's result, computed when needed) or <see cref="RowUpdates.Lazy"/> (per-row step counts).
/// </summary>
/// <remarks>
/// <para>
/// Deferred. Dense Adam moves a row whose gradient is zero at step j too (m ← β₁m, v ← β₂v, then
/// θ ← θ − lr·m/(bc₁(j)(√v/√bc₂(j) + ε)), bc(j) = 1 − βʲ). For a row last stepped at s₀ with moments
/// m₀, v₀, the k-th zero step moves it by lr·c(s₀+k)·β₁ᵏm₀ / (β₂^(k/2)√v₀ + ε√bc₂), c(j) = √bc₂(j)/bc₁(j).
/// Leaving ε out of the replayed steps, the n missed steps sum to
/// <code>
///     θ ← θ − lr · W(s₀, n) · m₀ / (√v₀ + ε),    W(s₀, n) = Σₖ₌₁..ₙ rᵏ c(s₀ + k),  r = β₁/√β₂
///     m ← β₁ⁿ m₀,   v ← β₂ⁿ v₀
/// </code>
/// which is applied when the row is next read (before the loss reads it: <see cref="RowTable.BeforeRead"/>),
/// or when the table is settled.
/// W depends on the row only through s₀, so one running sum per past step (<see cref="_weights"/>)
/// serves every row; each step adds its term to the last <see cref="Horizon"/> sums only, since
/// r^Horizon &lt; 10⁻¹² makes later terms vanish next to the first (Horizon = 264 for the default betas,
/// r ≈ 0.9005); betas with r ≥ 1 would never fade and are refused.
/// The ε difference is confined to rows whose √v is within a few ε, whose steps are ~lr·m/ε either way.
/// Weight decay moves every row every step, so it is refused.
/// </para>
/// <para>
/// Lazy. Each row has its own step count tᵣ (steps in which the batch read it) and takes Algorithm 1
/// with bias corrections 1 − β^tᵣ; a row read on every step is dense Adam. Weight decay applies to the
/// rows read. Either state is checkpointed (<see cref="Save"/>): a snapshot written mid-epoch holds the
/// table as it stands, rows not yet caught up, so the resumed run computes the same bits as the
/// uninterrupted one (settling there would round differently).
/// </para>
/// </remarks>
internal sealed class RowSteps
{
    /// <summary>Steps after which a replayed step's weight rᵏ has fallen below 10⁻¹² of the first (264 for the default betas, r = 0.9005).</summary>
    public int Horizon { get; }

    private readonly RowUpdates _mode;
    private readonly int _rows, _width;
    private readonly double _beta1, _beta2;
    private readonly double[] _ratioPowers;
    private const int PowerTable = 4096;
    private readonly double[] _beta1Powers = new double[PowerTable], _beta2Powers = new double[PowerTable];

    // Deferred: the step each row is current at, and W(s₀, ·) for s₀ = _base + i, summed over the steps since.
    private readonly long[]? _last;
    private double[] _weights = [];
    private long _base;

    public RowSteps(RowUpdates mode, long rows, long width, double beta1, double beta2, long step)
    {
        if (mode == RowUpdates.Dense) throw new ArgumentException("dense updates need no row steps", nameof(mode));
        _mode = mode;
        _rows = checked((int)rows);
        _width = checked((int)width);
        (_beta1, _beta2) = (beta1, beta2);
        double r = beta1 / Math.Sqrt(beta2);
        if (mode == RowUpdates.Deferred && r >= 1)
            throw new ArgumentException($"deferred row updates need β₁ < √β₂ (here {beta1} and {beta2}), or the replayed steps do not fade");
        Horizon = r < 1 ? (int)Math.Ceiling(Math.Log(1e-12) / Math.Log(r)) : 0;
        _ratioPowers = new double[Horizon + 1];
        for (int k = 0; k <= Horizon; k++) _ratioPowers[k] = Math.Pow(r, k);
        for (int n = 0; n < PowerTable; n++) (_beta1Powers[n], _beta2Powers[n]) = (Math.Pow(beta1, n), Math.Pow(beta2, n));
        if (mode == RowUpdates.Deferred)
        {
            _last = new long[_rows];
            Array.Fill(_last, step);
            _base = step;
        }
        else
        {
            Counts = new double[_rows];
        }
    }

    /// <summary>Lazy: tᵣ per row (exact integers in a double).</summary>
    public double[]? Counts { get; }

    /// <summary>
    /// Step <paramref name="step"/> (the parameter's step count after this step) on the rows of
    /// <paramref name="gradient"/>, in place on <paramref name="table"/>.
    /// </summary>
    public void Step(RowTensors table, RowGradient gradient, long step, double lr, double eps, double weightDecay)
    {
        if (gradient.Width != _width) throw new ArgumentException($"a gradient of width {gradient.Width} for a table of width {_width}");
        // One thread: splitting the rows over both cores measured no faster for BPR-MF at 100,000 × 20,000
        // (6.0–6.7 s per epoch against 5.9 s), the rows being scattered reads of memory; the other core
        // draws the next batch meanwhile (TrainingBatches).
        Span<float> theta = table.Theta, m = table.M, v = table.V;
        var rows = gradient.Rows;
        if (_mode == RowUpdates.Deferred)
        {
            double bc1 = 1 - Math.Pow(_beta1, step), rootBc2 = Math.Sqrt(1 - Math.Pow(_beta2, step));
            for (int i = 0; i < rows.Length; i++)
            {
                if (i + Ahead < rows.Length) Prefetch(theta, m, v, checked((int)rows[i + Ahead]));
                int row = checked((int)rows[i]);
                CatchUp(theta, m, v, row, step - 1, lr, eps); // nothing to do unless the loss read it without BeforeRead
                Adam(theta, m, v, row, gradient.Values.AsSpan(i * _width, _width), lr / bc1, rootBc2, eps, 0);
                _last![row] = step;
            }
            Completed(step);
        }
        else
        {
            for (int i = 0; i < rows.Length; i++)
            {
                if (i + Ahead < rows.Length) Prefetch(theta, m, v, checked((int)rows[i + Ahead]));
                int row = checked((int)rows[i]);
                double t = ++Counts![row];
                double bc1 = 1 - Math.Pow(_beta1, t), rootBc2 = Math.Sqrt(1 - Math.Pow(_beta2, t));
                Adam(theta, m, v, row, gradient.Values.AsSpan(i * _width, _width), lr / bc1, rootBc2, eps, weightDecay);
            }
        }
    }

    /// <summary>Deferred: brings rows <paramref name="rows"/> (repeats allowed) current at <paramref name="step"/>, the parameter's step count, before a loss reads them.</summary>
    public void CatchUp(RowTensors table, ReadOnlySpan<long> rows, long step, double lr, double eps)
    {
        if (_mode != RowUpdates.Deferred) return;
        Span<float> theta = table.Theta, m = table.M, v = table.V;
        for (int i = 0; i < rows.Length; i++)
        {
            if (i + Ahead < rows.Length) Prefetch(theta, m, v, checked((int)rows[i + Ahead]));
            CatchUp(theta, m, v, checked((int)rows[i]), step, lr, eps);
        }
    }

    // How many rows ahead the kernels ask for a row's lines. 4, 8 and 16 measured alike in a micro
    // benchmark of catch-up and step on 4,600 scattered 64-float rows of 120,000 (θ, m, v): 1.1–1.7 ms
    // per batch without prefetch and 0.7–1.0 ms with it in one sitting, 0.9 and 0.5 ms in another.
    private const int Ahead = 8;

    // Asks the caches for row `row` of θ, m, v (and its last step) before the kernel reaches it. The rows
    // a batch reads are scattered over tables larger than the caches at 100,000 users (3 × 30 MB), and
    // without this each row waited on its misses in turn.
    private unsafe void Prefetch(Span<float> theta, Span<float> m, Span<float> v, int row)
    {
        if (!Sse.IsSupported) return;
        int start = row * _width;
        fixed (float* t = theta, mr = m, vr = v)
        {
            for (int j = 0; j < _width; j += 16) // one 64-byte line holds 16 floats
            {
                Sse.Prefetch0(t + start + j);
                Sse.Prefetch0(mr + start + j);
                Sse.Prefetch0(vr + start + j);
            }
        }
        if (_last is not null)
            fixed (long* last = _last) Sse.Prefetch0(last + row);
    }

    /// <summary>Deferred: brings every row current at <paramref name="step"/>, the parameter's step count (nothing to do for lazy).</summary>
    public void Settle(RowTensors table, long step, double lr, double eps)
    {
        if (_mode != RowUpdates.Deferred) return;
        Span<float> theta = table.Theta, m = table.M, v = table.V;
        for (int row = 0; row < _rows; row++) CatchUp(theta, m, v, row, step, lr, eps);
        _weights = [];
        _base = step;
    }

    /// <summary>Writes the row state: lazy counts, or deferred rows' last steps and the open replay sums.</summary>
    public void Save(BinaryWriter writer)
    {
        writer.Write((int)_mode);
        writer.Write(_rows);
        if (_mode == RowUpdates.Lazy)
        {
            foreach (var c in Counts!) writer.Write(c);
            return;
        }
        writer.Write(_base);
        foreach (var l in _last!) writer.Write(l);
        writer.Write(_weights.Length);
        foreach (var w in _weights) writer.Write(w);
    }

    /// <summary>Reads what <see cref="Save"/> wrote, for a table of the same size and mode.</summary>
    public void Load(BinaryReader reader)
    {
        var mode = (RowUpdates)reader.ReadInt32();
        int rows = reader.ReadInt32();
        if (mode != _mode || rows != _rows)
            throw new InvalidDataException($"row state for {rows} rows with {mode} updates, this table has {_rows} rows with {_mode} updates");
        if (_mode == RowUpdates.Lazy)
        {
            for (int r = 0; r < _rows; r++) Counts![r] = reader.ReadDouble();
            return;
        }
        _base = reader.ReadInt64();
        for (int r = 0; r < _rows; r++) _last![r] = reader.ReadInt64();
        _weights = new double[reader.ReadInt32()];
        for (int i = 0; i < _weights.Length; i++) _weights[i] = reader.ReadDouble();
    }

    // Applies the zero-gradient steps _last[row]+1 .. upTo to the row (see remarks) and makes it current at upTo.
    // m₀ = 0 (a row never read) gives no move, as in dense Adam: 0 / (√v + ε) = 0.
    private void CatchUp(Span<float> theta, Span<float> m, Span<float> v, int row, long upTo, double lr, double eps)
    {
        long from = _last![row];
        long missed = upTo - from;
        if (missed <= 0) return;
        _last[row] = upTo;
        float weight = (float)(lr * _weights[from - _base]);
        float decay1 = (float)Power(_beta1Powers, _beta1, missed), decay2 = (float)Power(_beta2Powers, _beta2, missed), epsilon = (float)eps;
        var t = theta.Slice(row * _width, _width);
        var mr = m.Slice(row * _width, _width);
        var vr = v.Slice(row * _width, _width);
        int j = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var tv = MemoryMarshal.Cast<float, Vector<float>>(t);
            var mv = MemoryMarshal.Cast<float, Vector<float>>(mr);
            var vv = MemoryMarshal.Cast<float, Vector<float>>(vr);
            var e = new Vector<float>(epsilon);
            for (int q = 0; q < tv.Length; q++)
            {
                tv[q] -= weight * mv[q] / (Vector.SquareRoot(vv[q]) + e);
                mv[q] *= decay1;
                vv[q] *= decay2;
            }
            j = tv.Length * Vector<float>.Count;
        }
        for (; j < _width; j++)
        {
            t[j] -= weight * mr[j] / (MathF.Sqrt(vr[j]) + epsilon);
            mr[j] *= decay1;
            vr[j] *= decay2;
        }
    }

    // βⁿ, from a table for the usual short gaps.
    private static double Power(double[] table, double beta, long n) => n < table.Length ? table[n] : Math.Pow(beta, n);

    // Adds step s's term rᵏ c(s) to W(s₀, ·) for the last Horizon steps s₀ = s − k, and opens W(s, ·) = 0.
    private void Completed(long step)
    {
        long count = step - _base + 1;
        if (count > _weights.Length) Array.Resize(ref _weights, (int)Math.Max(count, Math.Max(1024, 2L * _weights.Length)));
        double c = Math.Sqrt(1 - Math.Pow(_beta2, step)) / (1 - Math.Pow(_beta1, step));
        for (long k = 1; k <= Horizon && step - k >= _base; k++)
            _weights[step - k - _base] += _ratioPowers[k] * c;
        _weights[step - _base] = 0;
    }

    // Algorithm 1 on one row: m ← β₁m + (1 − β₁)g, v ← β₂v + (1 − β₂)g², θ ← θ − (lr/bc₁)·m / (√v/√bc₂ + ε),
    // in float32 as torch.optim.Adam's CPU kernels.
    private void Adam(Span<float> theta, Span<float> m, Span<float> v, int row, ReadOnlySpan<float> gradient,
        double stepSize, double rootBc2, double eps, double weightDecay)
    {
        var t = theta.Slice(row * _width, _width);
        var mr = m.Slice(row * _width, _width);
        var vr = v.Slice(row * _width, _width);
        float b1 = (float)_beta1, b2 = (float)_beta2, c1 = (float)(1 - _beta1), c2 = (float)(1 - _beta2);
        float size = (float)stepSize, root = (float)rootBc2, epsilon = (float)eps, decay = (float)weightDecay;
        int j = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var tv = MemoryMarshal.Cast<float, Vector<float>>(t);
            var mv = MemoryMarshal.Cast<float, Vector<float>>(mr);
            var vv = MemoryMarshal.Cast<float, Vector<float>>(vr);
            var gv = MemoryMarshal.Cast<float, Vector<float>>(gradient);
            var e = new Vector<float>(epsilon);
            for (int q = 0; q < tv.Length; q++)
            {
                var g = decay == 0 ? gv[q] : gv[q] + decay * tv[q];
                var first = mv[q] = b1 * mv[q] + c1 * g;
                var second = vv[q] = b2 * vv[q] + c2 * g * g;
                tv[q] -= size * first / (Vector.SquareRoot(second) / root + e);
            }
            j = tv.Length * Vector<float>.Count;
        }
        for (; j < _width; j++)
        {
            float g = decay == 0 ? gradient[j] : gradient[j] + decay * t[j];
            float first = mr[j] = b1 * mr[j] + c1 * g;
            float second = vr[j] = b2 * vr[j] + c2 * g * g;
            t[j] -= size * first / (MathF.Sqrt(second) / root + epsilon);
        }
    }
}

/// <summary>A CPU float32 table and its Adam moments, row-major, read as spans in place.</summary>
internal readonly record struct RowTensors(TorchSharp.torch.Tensor ThetaTensor, TorchSharp.torch.Tensor MTensor, TorchSharp.torch.Tensor VTensor)
{
    public Span<float> Theta => MemoryMarshal.Cast<byte, float>(ThetaTensor.bytes);
    public Span<float> M => MemoryMarshal.Cast<byte, float>(MTensor.bytes);
    public Span<float> V => MemoryMarshal.Cast<byte, float>(VTensor.bytes);
}
