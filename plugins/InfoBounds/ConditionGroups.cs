using static TorchSharp.torch;
using Untangle.Contracts.Training;

namespace Untangle.Plugins.InfoBounds;

/// <summary>
/// FairMI's two condition groups (official code <c>conditional_samples</c>; specs/fairmi.md): row k of
/// the sensitive representation s is in group 0 when the Pearson correlation of s_k with an anchor row
/// is &gt; 0, else in group 1. The anchor is s_0 unless one is given.
/// </summary>
/// <remarks>
/// Only the sign of the correlation matters, so it is the sign of the centred dot product
/// (s_k − mean s_k)·(a − mean a); a constant row has no correlation (scipy gives NaN, and NaN &gt; 0 is
/// false) and lands in group 1, as in the official code. The official code assigns the groups once over
/// all users against user 0; an estimator that sees one batch assigns them against the batch's first row.
/// When s separates the sensitive groups (it is trained to), both give the same partition up to swapping
/// the labels, which does not change the loss.
/// </remarks>
public static class ConditionGroups
{
    /// <summary>int64 group ids (0 or 1), one per row of <paramref name="s"/> (rows × features, at least two features).</summary>
    public static Tensor Assign(Tensor s, Tensor? anchor = null)
    {
        if (s.dim() != 2 || s.shape[1] < 2)
            throw new ArgumentException($"condition groups need a rows × features condition with at least two features (a Pearson correlation per row); got {PairedRows.Shape(s)}");
        using var noGrad = no_grad();
        var centred = s - s.mean([1], keepdim: true);
        var reference = anchor is null ? centred[0] : anchor - anchor.mean();
        // A held Scalar: a temporary one can be freed by its finalizer while gt runs (seen: "Unknown scalar type"
        // in THSTensor_gt_scalar, 255 epochs into a FairMI-BPR run; see HeldScalars).
        var positive = centred.mv(reference).gt(HeldScalars.Zero);
        return where(positive, zeros_like(positive, dtype: ScalarType.Int64), ones_like(positive, dtype: ScalarType.Int64));
    }
}
