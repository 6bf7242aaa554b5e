namespace Untangle.Host.Steering;

/// <summary>
/// TL-GAN's decorrelation (Shaobo Guan, 2018, github.com/SummitKwan/transparent_latent_gan,
/// feature_axis.py's disentangle_feature_axis_by_idx): an axis moved while others are locked is made
/// orthogonal to the locked ones, so moving it leaves the users' positions on the locked axes unchanged. The locked axes
/// are made orthonormal by Gram–Schmidt (q_j = l_j − Σ_{i&lt;j} (q_i·l_j) q_i, normalised; a locked axis in
/// the span of earlier ones adds nothing), and the moved axis loses its part in their span:
/// a' = (a − Σ_j (q_j·a) q_j) / ‖·‖.
/// Departure: TL-GAN's orthogonalize_vectors keeps a locked axis that depends on earlier ones (a zero
/// vector, then a division by zero when normalised); here it is skipped, since it adds nothing to the span.
/// </summary>
internal static class Decorrelation
{
    private const double Dependent = 1e-9;

    /// <summary>An orthonormal basis of the span of <paramref name="locked"/> (Gram–Schmidt, in order).</summary>
    public static List<double[]> Basis(IEnumerable<double[]> locked)
    {
        var basis = new List<double[]>();
        foreach (var l in locked)
        {
            var v = (double[])l.Clone();
            foreach (var q in basis) Subtract(v, q, SteeringAxes.Dot(q, v));
            double norm = Math.Sqrt(SteeringAxes.Dot(v, v));
            if (norm < Dependent) continue;
            for (int i = 0; i < v.Length; i++) v[i] /= norm;
            basis.Add(v);
        }
        return basis;
    }

    /// <summary>The unit part of <paramref name="axis"/> orthogonal to <paramref name="basis"/>; null when nothing is left (the axis lies in the locked span).</summary>
    public static double[]? Orthogonal(double[] axis, IReadOnlyList<double[]> basis)
    {
        var v = (double[])axis.Clone();
        foreach (var q in basis) Subtract(v, q, SteeringAxes.Dot(q, v));
        double norm = Math.Sqrt(SteeringAxes.Dot(v, v));
        if (norm < 1e-6) return null;
        for (int i = 0; i < v.Length; i++) v[i] /= norm;
        return v;
    }

    public static double Cosine(double[] a, double[] b) =>
        SteeringAxes.Dot(a, b) / Math.Sqrt(SteeringAxes.Dot(a, a) * SteeringAxes.Dot(b, b));

    private static void Subtract(double[] v, double[] q, double amount)
    {
        for (int i = 0; i < v.Length; i++) v[i] -= amount * q[i];
    }
}
