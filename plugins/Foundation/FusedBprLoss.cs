using System.Numerics;
using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace Untangle.Plugins.Foundation;

/// <summary>
/// BPR-MF's loss in one pass on the CPU (Rendle et al., UAI 2009, eq. 6, with the ego L2 of
/// <see cref="BprObjective.EgoL2"/>): for a batch of B (user, positive, negative) rows,
/// <code>
///     bpr = (1/B) Σ_b softplus(x_b),  x_b = u_bᵀn_b − u_bᵀp_b        (−ln σ(u_bᵀp_b − u_bᵀn_b) = softplus(x_b))
///     l2  = reg/(2B) Σ_b (‖u_b‖² + ‖p_b‖² + ‖n_b‖²)
/// </code>
/// and its gradient in closed form, with c_b = g_bpr·σ(x_b)/B and a = g_l2·reg/B:
/// <code>
///     ∂/∂u_b = c_b (n_b − p_b) + a u_b,   ∂/∂p_b = −c_b u_b + a p_b,   ∂/∂n_b = c_b u_b + a n_b
/// </code>
/// The same loss as <see cref="BprObjective.Loss"/> over <see cref="BprObjective.RowScores"/> plus
/// EgoL2, whose libtorch composition is about twenty element-wise operations and their backward
/// nodes per batch, each a pass over B × d floats; here the rows are read once forward and once
/// backward. Sums run in double, the libtorch composition's in float32, so the two agree to float32
/// rounding, not bit for bit. softplus uses libtorch's threshold (x for x &gt; 20).
/// </summary>
public sealed class FusedBprLoss : autograd.SingleTensorFunction<FusedBprLoss>
{
    public override string Name => nameof(FusedBprLoss);

    /// <summary>Whether the fused pass applies: float32 CPU rows of one width.</summary>
    public static bool Fits(Tensor users, Tensor positives, Tensor negatives) =>
        users.device_type == TorchSharp.DeviceType.CPU && users.dtype == ScalarType.Float32 && users.dim() == 2
        && positives.dtype == ScalarType.Float32 && negatives.dtype == ScalarType.Float32
        && positives.shape.SequenceEqual(users.shape) && negatives.shape.SequenceEqual(users.shape);

    /// <summary>[bpr, l2] as a 2-element tensor with the gradient above; rows B × d, <paramref name="reg"/> the L2 weight.</summary>
    public static Tensor Apply(Tensor users, Tensor positives, Tensor negatives, double reg) => apply(users, positives, negatives, reg);

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        Tensor u = ((Tensor)vars[0]).contiguous(), p = ((Tensor)vars[1]).contiguous(), n = ((Tensor)vars[2]).contiguous();
        double reg = (double)vars[3];
        int rows = checked((int)u.shape[0]), width = checked((int)u.shape[1]);
        ReadOnlySpan<float> us = Floats(u), ps = Floats(p), ns = Floats(n);
        var sigmoid = new float[rows];
        double bpr = 0, squares = 0;
        for (int b = 0; b < rows; b++)
        {
            var ur = us.Slice(b * width, width);
            var pr = ps.Slice(b * width, width);
            var nr = ns.Slice(b * width, width);
            double x = (double)Dot(ur, nr) - Dot(ur, pr);
            bpr += x > 20 ? x : double.LogP1(Math.Exp(x));
            sigmoid[b] = (float)(1 / (1 + Math.Exp(-x)));
            squares += (double)Dot(ur, ur) + Dot(pr, pr) + Dot(nr, nr);
        }
        ctx.save_for_backward([u, p, n]);
        ctx.save_data("sigmoid", sigmoid);
        ctx.save_data("reg", reg);
        return tensor(new[] { (float)(bpr / rows), (float)(reg / 2 / rows * squares) });
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad_output)
    {
        var saved = ctx.get_saved_variables();
        Tensor u = saved[0], p = saved[1], n = saved[2];
        var sigmoid = (float[])ctx.get_data("sigmoid");
        double reg = (double)ctx.get_data("reg");
        var g = grad_output.to_type(ScalarType.Float64).cpu().data<double>().ToArray();
        int rows = checked((int)u.shape[0]), width = checked((int)u.shape[1]);
        float a = (float)(g[1] * reg / rows);
        var du = empty_like(u);
        var dp = empty_like(p);
        var dn = empty_like(n);
        ReadOnlySpan<float> us = Floats(u), ps = Floats(p), ns = Floats(n);
        Span<float> dus = Floats(du), dps = Floats(dp), dns = Floats(dn);
        for (int b = 0; b < rows; b++)
        {
            float c = (float)(g[0] * sigmoid[b] / rows);
            Rows(us.Slice(b * width, width), ps.Slice(b * width, width), ns.Slice(b * width, width),
                dus.Slice(b * width, width), dps.Slice(b * width, width), dns.Slice(b * width, width), c, a);
        }
        return [du, dp, dn, null!];
    }

    // du = c(n − p) + a·u, dp = −c·u + a·p, dn = c·u + a·n.
    private static void Rows(ReadOnlySpan<float> u, ReadOnlySpan<float> p, ReadOnlySpan<float> n,
        Span<float> du, Span<float> dp, Span<float> dn, float c, float a)
    {
        int j = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var uv = MemoryMarshal.Cast<float, Vector<float>>(u);
            var pv = MemoryMarshal.Cast<float, Vector<float>>(p);
            var nv = MemoryMarshal.Cast<float, Vector<float>>(n);
            var duv = MemoryMarshal.Cast<float, Vector<float>>(du);
            var dpv = MemoryMarshal.Cast<float, Vector<float>>(dp);
            var dnv = MemoryMarshal.Cast<float, Vector<float>>(dn);
            for (int q = 0; q < uv.Length; q++)
            {
                var cu = c * uv[q];
                duv[q] = c * (nv[q] - pv[q]) + a * uv[q];
                dpv[q] = a * pv[q] - cu;
                dnv[q] = cu + a * nv[q];
            }
            j = uv.Length * Vector<float>.Count;
        }
        for (; j < u.Length; j++)
        {
            float cu = c * u[j];
            du[j] = c * (n[j] - p[j]) + a * u[j];
            dp[j] = a * p[j] - cu;
            dn[j] = cu + a * n[j];
        }
    }

    private static float Dot(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        float sum = 0;
        int j = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var acc = Vector<float>.Zero;
            var xv = MemoryMarshal.Cast<float, Vector<float>>(x);
            var yv = MemoryMarshal.Cast<float, Vector<float>>(y);
            for (int q = 0; q < xv.Length; q++) acc += xv[q] * yv[q];
            sum = Vector.Sum(acc);
            j = xv.Length * Vector<float>.Count;
        }
        for (; j < x.Length; j++) sum += x[j] * y[j];
        return sum;
    }

    private static Span<float> Floats(Tensor t) => MemoryMarshal.Cast<byte, float>(t.bytes);
}
