namespace Untangle.Plugins.VaeCF;

/// <summary>
/// What the reference encoders do to a user's row before the first layer (Liang et al., WWW 2018,
/// sec. 2.3; <c>h = tf.nn.l2_normalize(x, 1); h = tf.nn.dropout(h, keep_prob)</c>): normalise it to
/// unit L2 norm, then, in training only, drop out its entries with keep probability
/// <paramref name="Keep"/> (0.5 in the reference code; scaled by 1/keep). At evaluation the row is
/// only normalised.
/// </summary>
public sealed record UserRowInput(double Keep)
{
    public SparseRows Prepare(SparseRows rows, bool training)
    {
        var normalised = rows.L2Normalized();
        return training ? normalised.Dropout(Keep) : normalised;
    }
}
